package io.kvstore.clustertests.suite;

import io.kvstore.client.Context;
import io.kvstore.client.PutResult;
import io.kvstore.clustertests.history.Op;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream of register writes that never reads, so that write availability is measured on its
 * own (the other workloads read before they write, and a refused read would hide whether the
 * write would have gone through): a few keys of its own, each written with unique values ("w1",
 * "w2", ...) and the context the previous acknowledged write of that key returned, so each write
 * supersedes the stream's own last one and siblings stay few (an unacknowledged write leaves at
 * most one more). Judged like the register workload (C3, C5) and by the write availability floor.
 */
final class WriteStreamWorkload implements Workload {
  private final RotatingKeys keys;
  private final AtomicInteger nextValue = new AtomicInteger(1);
  /** Per key, the context of the last acknowledged write of this stream. */
  private final Map<String, Context> last = new ConcurrentHashMap<>();

  WriteStreamWorkload(RotatingKeys keys) {
    this.keys = keys;
  }

  @Override
  public void step(ClientOps ops) {
    String key = keys.pick(ops.random());
    String value = "w" + nextValue.getAndIncrement();
    PutResult p = ops.write(Op.F.WRITE, key, value, ClientOps.bytes(value),
        last.getOrDefault(key, Context.EMPTY));
    if (p != null) {
      last.put(key, p.context());
    }
  }

  @Override
  public List<String> usedKeys() {
    return keys.used();
  }
}
