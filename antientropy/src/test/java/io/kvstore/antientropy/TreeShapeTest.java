package io.kvstore.antientropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** TreeShape: the default, branch arithmetic, and the exact wording of every refusal. */
class TreeShapeTest {
  @Test
  void defaultIs1024SegmentsIn32BranchesOf32() {
    assertEquals(1024, TreeShape.DEFAULT.segments());
    assertEquals(32, TreeShape.DEFAULT.fanout());
    assertEquals(32, TreeShape.DEFAULT.branches());
    assertEquals(10, TreeShape.DEFAULT.segmentBits());
  }

  @Test
  void branchOfGroupsConsecutiveSegments() {
    TreeShape s = new TreeShape(16, 4);
    assertEquals(4, s.branches());
    assertEquals(0, s.branchOf(0));
    assertEquals(0, s.branchOf(3));
    assertEquals(1, s.branchOf(4));
    assertEquals(3, s.branchOf(15));
    assertEquals(12, s.firstSegmentOf(3));
    assertEquals(1, new TreeShape(1, 1).branches());
    assertEquals(65536, new TreeShape(65536, 1).branches());
    assertEquals(1, new TreeShape(65536, 65536).branches());
  }

  @Test
  void badSegmentCountsAreRefusedWithTheRule() {
    for (int bad : new int[] {0, -1, 3, 1000, 1 << 17, Integer.MIN_VALUE}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new TreeShape(bad, 1));
      assertEquals("segments must be a power of two in [1, 65536], got " + bad, e.getMessage());
    }
  }

  @Test
  void badFanoutsAreRefusedWithTheRule() {
    for (int bad : new int[] {0, -4, 3, 24, 2048}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new TreeShape(1024, bad));
      assertEquals("fanout must be a power of two in [1, segments = 1024], got " + bad,
          e.getMessage());
    }
  }

  @Test
  void segmentsAndBranchesOutOfRangeAreRefused() {
    TreeShape s = new TreeShape(16, 4);
    assertEquals("segment 16 out of range [0, 16)",
        assertThrows(IllegalArgumentException.class, () -> s.branchOf(16)).getMessage());
    assertEquals("segment -1 out of range [0, 16)",
        assertThrows(IllegalArgumentException.class, () -> s.branchOf(-1)).getMessage());
    assertEquals("branch 4 out of range [0, 4)",
        assertThrows(IllegalArgumentException.class, () -> s.firstSegmentOf(4)).getMessage());
  }
}
