package io.kvstore.node.hints;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ForwardingEnv;
import io.kvstore.lsm.env.WritableFile;
import io.kvstore.node.time.Clock;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test doubles and helpers for the hint store tests (and, for {@link #readAll} and {@link
 * #segmentFiles}, the handoff tests). Thread safety: as stated per member.
 */
public final class HintFixtures {
  static final NodeId COORD = NodeId.of("coord-1");

  private HintFixtures() {}

  /** A wall clock that moves only when told. Thread safe. */
  static final class ManualClock implements Clock {
    final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    @Override
    public long nanoTime() {
      return millis.get() * 1_000_000L;
    }

    @Override
    public long currentTimeMillis() {
      return millis.get();
    }
  }

  /** Counts file fsyncs; each takes at least {@code syncMillis}, like a real disk. Thread safe. */
  static final class CountingEnv extends ForwardingEnv {
    final AtomicLong syncs = new AtomicLong();
    private final long syncMillis;

    CountingEnv(Env delegate, long syncMillis) {
      super(delegate);
      this.syncMillis = syncMillis;
    }

    CountingEnv() {
      this(DefaultEnv.INSTANCE, 0);
    }

    @Override
    public WritableFile newWritableFile(Path path) throws IOException {
      return new ForwardingWritableFile(super.newWritableFile(path)) {
        @Override
        public void sync() throws IOException {
          syncs.incrementAndGet();
          super.sync();
          if (syncMillis > 0) {
            try {
              Thread.sleep(syncMillis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }
      };
    }
  }

  static Random seeded(String test) {
    long seed = Long.getLong("kvstore.seed", new Random().nextLong());
    System.out.println(test + ": seed " + seed + " (replay with -Dkvstore.seed=" + seed + ")");
    return new Random(seed);
  }

  static Hint randomHint(Random r, long created) {
    byte[] key = new byte[1 + r.nextInt(40)];
    byte[] sib = new byte[r.nextInt(600)];
    r.nextBytes(key);
    r.nextBytes(sib);
    return new Hint(key, sib, created, r.nextBoolean() ? COORD : NodeId.of("coord-2"));
  }

  public static List<HintRecord> readAll(HintReader reader) {
    List<HintRecord> out = new ArrayList<>();
    try (reader) {
      for (HintRecord r = reader.next(); r != null; r = reader.next()) {
        out.add(r);
      }
    }
    return out;
  }

  /** The names of the segment files in {@code dir}, sorted. */
  public static List<String> segmentFiles(Path dir) throws IOException {
    try (var files = java.nio.file.Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(HintFiles.SEGMENT_SUFFIX)).sorted().toList();
    }
  }

  static List<Hint> hints(List<HintRecord> records) {
    return records.stream().map(HintRecord::hint).toList();
  }
}
