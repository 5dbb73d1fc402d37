package io.kvstore.lsm;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Child process of {@link ProcessCrashTest}: opens a store with {@code group} sync and writes
 * from several threads until it is killed. After each write returns it prints {@code ACK key
 * version}; the parent records these and, after SIGKILL, checks that every acknowledged write
 * survived. Keys are {@code r<round>-t<thread>-<n>}; each key is written with versions 1..3 in
 * order, and a value is a pure function of (key, version) so the parent can recognise it.
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    Options options =
        Options.builder()
            .syncPolicy(SyncPolicy.group())
            .memtableBytes(64 << 10)
            .targetFileBytes(32 << 10)
            .level1MaxBytes(128 << 10)
            .l0CompactionTrigger(2)
            .build();
    LsmStore store = LsmStore.open(dir, options);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println("READY");
    AtomicBoolean stop = new AtomicBoolean();
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      ts[t] =
          new Thread(
              () -> {
                for (int n = 0; !stop.get(); n++) {
                  String key = "r" + round + "-t" + id + "-" + n;
                  for (int version = 1; version <= 3; version++) {
                    if (version == 3 && endsWithDelete(key)) {
                      store.delete(key.getBytes(StandardCharsets.UTF_8));
                      synchronized (out) {
                        out.println("ACK " + key + " 0");
                      }
                      continue;
                    }
                    store.put(key.getBytes(StandardCharsets.UTF_8), value(key, version));
                    synchronized (out) {
                      out.println("ACK " + key + " " + version);
                    }
                  }
                }
              });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
  }

  /** Keys whose third operation is a delete instead of a put of version 3. */
  static boolean endsWithDelete(String key) {
    return Integer.parseInt(key.substring(key.lastIndexOf('-') + 1)) % 3 == 0;
  }

  /** The value written for (key, version): recognisable, and some of it larger than a block. */
  static byte[] value(String key, int version) {
    String base = key + "#v" + version + "#";
    int repeat = (key.hashCode() & 7) == 0 ? 400 : 3;
    return base.repeat(repeat).getBytes(StandardCharsets.UTF_8);
  }
}
