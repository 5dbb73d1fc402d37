package io.kvstore.node.antientropy;

import java.util.List;

/** Anti-entropy's counters since start. Thread safe (synchronized). */
final class AeCounters {
  private long exchanges;
  private long failures;
  private long keys;
  private long sent;
  private long received;
  private long rebuilds;
  private long purged;

  synchronized void exchanged(Exchange.Result r, long purgedKeys) {
    exchanges++;
    keys += r.keys();
    sent += r.bytesSent();
    received += r.bytesReceived();
    purged += purgedKeys;
  }

  synchronized void failed(int n) {
    exchanges += n;
    failures += n;
  }

  synchronized void rebuilt() {
    rebuilds++;
  }

  synchronized AeSummary summary(List<AeSummary.PartitionState> states) {
    long oldest = 0;
    int built = 0;
    for (AeSummary.PartitionState s : states) {
      oldest = s.fullExchangeAgeMillis() < 0 || oldest < 0 ? -1
          : Math.max(oldest, s.fullExchangeAgeMillis());
      built += s.treeBuilt() ? 1 : 0;
    }
    return new AeSummary(states.size(), built, exchanges, failures, keys, sent, received,
        rebuilds, purged, oldest, states);
  }
}
