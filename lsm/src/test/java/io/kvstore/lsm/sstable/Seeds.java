package io.kvstore.lsm.sstable;

import java.util.stream.LongStream;

/**
 * Seeds for randomized tests: a few fixed ones (stable CI) plus one fresh per run (new coverage).
 * Every assertion message carries the seed, so a failure is reproduced by adding it here.
 */
final class Seeds {
  private Seeds() {}

  static LongStream seeds() {
    return LongStream.of(1, 2, 3, System.nanoTime());
  }
}
