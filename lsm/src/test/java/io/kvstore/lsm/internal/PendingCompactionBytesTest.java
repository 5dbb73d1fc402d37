package io.kvstore.lsm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CompactionPicker#pendingCompactionBytes} on hand-built versions (tables of given sizes,
 * no files): the estimate follows the picker's own trigger and budgets (level 1: 100 bytes, x10
 * per level), as RocksDB's estimate-pending-compaction-bytes does for its picker.
 */
class PendingCompactionBytesTest {
  private final CompactionPicker picker = new CompactionPicker(2, 100, 10);
  private long nextFile = 1;

  @Test
  void nothingIsPendingWhileEveryLevelIsWithinItsBudget() {
    Version v = Version.empty();
    assertEquals(0, picker.pendingCompactionBytes(v));
    v = add(v, 0, 30);
    v = add(v, 1, 100);
    v = add(v, 2, 1000);
    assertNull(picker.pick(v));
    assertEquals(0, picker.pendingCompactionBytes(v), "one level-0 table, levels at budget");
  }

  @Test
  void levelZeroAtItsTriggerCountsItselfAndLevelOne() {
    Version v = add(add(add(Version.empty(), 0, 30), 0, 30), 1, 80);
    assertNotNull(picker.pick(v));
    // 60 + 80, then level 1 would hold 140 > 100: its 40 excess moves into an empty level 2.
    assertEquals(140, picker.pendingCompactionBytes(v));
    v = add(v, 2, 500);
    // The 40 now merge with their share of level 2's 500: 40 * (1 + 500 / 140) = 182.
    assertEquals(140 + 182, picker.pendingCompactionBytes(v));
  }

  @Test
  void anExcessCascadesIntoTheLevelsBelow() {
    Version v = add(add(add(Version.empty(), 1, 250), 2, 950), 3, 2000);
    // Level 1: 150 over, merged with level 2: 150 * (1 + 950 / 250) = 720. Level 2 then holds
    // 1100 > 1000: 100 over, merged with level 3: 100 * (1 + 2000 / 1100) = 281.
    assertEquals(720 + 281, picker.pendingCompactionBytes(v));
  }

  @Test
  void anExcessOverAnEmptyLevelIsATrivialMoveAndCostsNothing() {
    Version v = add(Version.empty(), 1, 250);
    assertNotNull(picker.pick(v), "level 1 is over budget");
    assertEquals(0, picker.pendingCompactionBytes(v));
  }

  /** {@code v} with one more table of {@code bytes} at {@code level}, after every key so far. */
  private Version add(Version v, int level, long bytes) {
    long n = nextFile++;
    byte[] lo = InternalKey.encode(key(n, "a"), 1, InternalKey.TYPE_PUT);
    byte[] hi = InternalKey.encode(key(n, "b"), 1, InternalKey.TYPE_PUT);
    List<TableHandle> table = new ArrayList<>();
    table.add(new TableHandle(n, bytes, 1, lo, hi, null, null, t -> { }));
    return v.apply(List.of(), level, table);
  }

  private static byte[] key(long n, String suffix) {
    return String.format("%06d%s", n, suffix).getBytes(StandardCharsets.UTF_8);
  }
}
