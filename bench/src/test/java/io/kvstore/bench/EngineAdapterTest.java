package io.kvstore.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Smoke test of the benchmark adapters: each {@link Engine} stores and returns values, reports
 * missing keys as null, scans in unsigned key order from a start key, and still answers after
 * {@link Engine#settle()} (flush + full compaction) and a reopen. Small data, runs in seconds.
 */
class EngineAdapterTest {
  private static final int KEYS = 2_000;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {Engines.OURS, Engines.ROCKSDB})
  void putGetScanWorkBeforeAndAfterSettle(String name) {
    EngineSettings settings = EngineSettings.standard(EngineSettings.Sync.NONE);
    try (Engine e = Engines.open(name, dir, settings)) {
      assertEquals(name, e.name());
      for (int i = 0; i < KEYS; i++) {
        e.put(KeySpace.PRESENT.key(i), KeySpace.value(i));
      }
      checkReads(e);
      e.settle();
      checkReads(e);
    }
    try (Engine e = Engines.open(name, dir, settings)) {
      checkReads(e);
    }
  }

  @ParameterizedTest
  @EnumSource(EngineSettings.Sync.class)
  void bothEnginesAcceptEverySyncMode(EngineSettings.Sync sync) throws InterruptedException {
    for (String name : Engines.ALL) {
      try (Engine e = Engines.open(name, dir.resolve(name), EngineSettings.standard(sync))) {
        e.put(KeySpace.PRESENT.key(1), KeySpace.value(1));
        e.awaitBackgroundWork();
        assertArrayEquals(KeySpace.value(1), e.get(KeySpace.PRESENT.key(1)));
      }
    }
  }

  private static void checkReads(Engine e) {
    for (int i = 0; i < KEYS; i += 7) {
      assertArrayEquals(KeySpace.value(i), e.get(KeySpace.PRESENT.key(i)), "key " + i);
      assertNull(e.get(KeySpace.MISSING.key(i)), "missing key " + i);
    }
    byte[][] sorted = new byte[KEYS][];
    for (int i = 0; i < KEYS; i++) {
      sorted[i] = KeySpace.PRESENT.key(i);
    }
    Arrays.sort(sorted, Arrays::compareUnsigned);
    int start = KEYS / 3;
    List<byte[]> seen = new ArrayList<>();
    int n = e.scan(sorted[start], 100, (k, v) -> {
      assertEquals(KeySpace.VALUE_BYTES, v.length);
      seen.add(k);
    });
    assertEquals(100, n);
    for (int i = 0; i < 100; i++) {
      assertArrayEquals(sorted[start + i], seen.get(i), "scan position " + i);
    }
    assertEquals(10, e.scan(sorted[KEYS - 10], 100, (k, v) -> {}), "scan stops at the end");
  }
}
