package io.kvstore.lsm;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash tests with real processes: a child JVM writes with {@code group} sync from several
 * threads and reports each acknowledged write; the test kills it with SIGKILL at a random moment,
 * reopens the store and checks that every acknowledged write is there with its value (or a later
 * version of that key), and that nothing that was never written appears. Many rounds on the same
 * directory, so recovery also runs over tables and logs left by earlier rounds.
 */
class ProcessCrashTest {
  private static final int ROUNDS = 12;

  @TempDir Path dir;
  @TempDir Path logs;
  private Path childErr;

  @Test
  void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    Map<String, Integer> acked = new HashMap<>();
    long totalAcks = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String where = "seed " + seed + " round " + round;
      childErr = logs.resolve("child-" + round + ".err");
      Process p = startChild(round, 4);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = in.readLine();
      if (!"READY".equals(first)) {
        fail(where + ": child did not start: " + first + "\n" + stderr(p));
      }
      Map<String, Integer> roundAcks = new HashMap<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  String line;
                  while ((line = in.readLine()) != null) {
                    String[] parts = line.split(" ");
                    if (parts.length == 3 && parts[0].equals("ACK")) {
                      synchronized (roundAcks) {
                        roundAcks.put(parts[1], Integer.parseInt(parts[2]));
                      }
                    }
                  }
                } catch (Exception e) {
                  // The pipe breaks when the child dies; what was read is what counts.
                }
              });
      reader.start();
      Thread.sleep(150 + rnd.nextInt(900));
      p.destroyForcibly(); // SIGKILL on Unix
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), where + ": child did not die");
      reader.join(10_000);
      synchronized (roundAcks) {
        acked.putAll(roundAcks);
        totalAcks += roundAcks.size();
      }
      verify(acked, where);
    }
    assertTrue(totalAcks > ROUNDS * 10, "seed " + seed + ": too few acknowledged writes: " + totalAcks);
  }

  private void verify(Map<String, Integer> acked, String where) {
    try (LsmStore store = LsmStore.open(dir, Options.defaults())) {
      for (Map.Entry<String, Integer> e : acked.entrySet()) {
        byte[] got = store.get(e.getKey().getBytes(StandardCharsets.UTF_8));
        int version = e.getValue();
        if (version == 0) {
          assertNull(got, where + ": acknowledged delete of " + e.getKey() + " lost");
        } else if (got == null) {
          // Allowed only if the key's next operation, a delete, ran before the kill.
          if (!CrashWriterMain.endsWithDelete(e.getKey())) {
            fail(where + ": acknowledged write " + e.getKey() + " v" + version + " lost");
          }
        } else {
          // The acked version, or a later one whose ack was not read before the kill.
          boolean ok = false;
          for (int v = version; v <= 3 && !ok; v++) {
            ok = java.util.Arrays.equals(got, CrashWriterMain.value(e.getKey(), v));
          }
          assertTrue(ok, where + ": " + e.getKey() + " has a value never acknowledged at or after v"
              + version + ": " + TestStores.str(got).substring(0, Math.min(40, got.length)));
        }
      }
      try (KvIterator it = store.scan(null, null)) {
        while (it.hasNext()) {
          KvIterator.Entry en = it.next();
          String key = new String(en.key(), StandardCharsets.UTF_8);
          boolean known = false;
          for (int v = 1; v <= 3 && !known; v++) {
            known = java.util.Arrays.equals(en.value(), CrashWriterMain.value(key, v));
          }
          assertTrue(known, where + ": key " + key + " holds a value that was never written");
        }
      }
    }
  }

  private Process startChild(int round, int threads) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-Xmx128m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            CrashWriterMain.class.getName(),
            dir.toString(),
            Integer.toString(round),
            Integer.toString(threads));
    return new ProcessBuilder(cmd).redirectError(childErr.toFile()).start();
  }

  private String stderr(Process p) throws Exception {
    p.waitFor(5, TimeUnit.SECONDS);
    return "child stderr:\n" + Files.readString(childErr);
  }
}
