package io.kvstore.lsm.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * One unit of compaction work: tables of {@code level} (all of level 0, or one table of a higher
 * level) merged with the overlapping tables of {@code outputLevel}. A trivial move is a single
 * table with nothing to merge: it changes level in the manifest without being rewritten.
 * Immutable.
 */
public record Compaction(
    int level, List<TableHandle> inputs, List<TableHandle> overlapping, int outputLevel,
    boolean manual) {

  public List<TableHandle> allInputs() {
    List<TableHandle> all = new ArrayList<>(inputs);
    all.addAll(overlapping);
    return all;
  }

  public boolean isTrivialMove() {
    return !manual && level >= 1 && inputs.size() == 1 && overlapping.isEmpty();
  }

  public long inputBytes() {
    long sum = 0;
    for (TableHandle t : allInputs()) {
      sum += t.fileSize();
    }
    return sum;
  }
}
