package io.kvstore.node.hints;

import java.util.Arrays;

/**
 * Where each good record of one segment starts, how long its frame is and when its hint was
 * created, in file order: what {@link TargetLog} needs to answer "how much is left after the
 * checkpoint" exactly when the checkpoint lies inside this segment. About 20 bytes a record, so a
 * log keeps one only for its active segment and for the segment holding its checkpoint.
 *
 * <p>Not thread safe: guarded by the owning TargetLog's monitor. Invariant: offsets grow.
 */
final class RecordIndex {
  /** Hints, frame bytes and oldest creation time of a run of records. */
  record Tally(long hints, long bytes, long oldestCreatedMillis) {
    static final Tally ZERO = new Tally(0, 0, Long.MAX_VALUE);

    Tally plus(Tally o) {
      return new Tally(hints + o.hints, bytes + o.bytes,
          Math.min(oldestCreatedMillis, o.oldestCreatedMillis));
    }
  }

  private long[] offsets = new long[16];
  private long[] created = new long[16];
  private int[] sizes = new int[16];
  private int n;

  void add(long offset, int frameBytes, long createdMillis) {
    if (n == offsets.length) {
      offsets = Arrays.copyOf(offsets, n * 2);
      created = Arrays.copyOf(created, n * 2);
      sizes = Arrays.copyOf(sizes, n * 2);
    }
    offsets[n] = offset;
    sizes[n] = frameBytes;
    created[n] = createdMillis;
    n++;
  }

  /** The records that start at or after {@code from} and end at or before {@code limit}. */
  Tally tally(long from, long limit) {
    long hints = 0;
    long bytes = 0;
    long oldest = Long.MAX_VALUE;
    for (int i = first(from); i < n && offsets[i] + sizes[i] <= limit; i++) {
      hints++;
      bytes += sizes[i];
      oldest = Math.min(oldest, created[i]);
    }
    return new Tally(hints, bytes, oldest);
  }

  /** Forgets the records that end after {@code limit} (written but never made durable). */
  void truncate(long limit) {
    while (n > 0 && offsets[n - 1] + sizes[n - 1] > limit) {
      n--;
    }
  }

  /** The newest creation time of all records, {@code Long.MIN_VALUE} if none. */
  long newestCreated() {
    long newest = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      newest = Math.max(newest, created[i]);
    }
    return newest;
  }

  private int first(long from) {
    int i = Arrays.binarySearch(offsets, 0, n, from);
    return i >= 0 ? i : -i - 1;
  }
}
