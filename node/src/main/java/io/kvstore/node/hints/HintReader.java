package io.kvstore.node.hints;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * A replay cursor over one target's segments, in order, from a starting position. It sees the
 * segments as they were when it was made, and of the segment being appended only the fsynced part.
 * Corrupt records and torn tails are stepped over and counted (FORMAT.md, "Reading"); hints
 * created before {@code expireBeforeMillis} are skipped and counted as expired. The counts of a
 * reader are what it met; the store's totals count each lost record once, however many readers
 * pass it. A segment deleted before the reader reaches it (delivered or expired meanwhile) is
 * passed over.
 *
 * <p>{@link #position} says how far the reader got: everything before it was returned or skipped.
 * After the last record it is the end of the last segment read, so a checkpoint there lets the
 * store delete segments that end in skipped corruption or a torn tail.
 *
 * <p>Not thread safe: one replaying thread owns it.
 */
public final class HintReader implements AutoCloseable {
  private final Env env;
  private final NodeId target;
  private final List<TargetLog.View> segments;
  private final HintPosition from;
  private final long expireBeforeMillis;
  private final ReadReport report;
  private HintPosition position;
  private int index;
  private ReadableFile file;
  private SegmentScanner scanner;
  private long segment;
  private HintPosition end; // of the segment being read
  private boolean closed;

  HintReader(
      Env env,
      NodeId target,
      List<TargetLog.View> segments,
      HintPosition from,
      long expireBeforeMillis,
      ReadReport.Sink losses) {
    this.env = env;
    this.target = target;
    this.segments = segments;
    this.from = from;
    this.position = from;
    this.expireBeforeMillis = expireBeforeMillis;
    this.report = new ReadReport(losses);
  }

  /** The next live hint, or null when every segment has been read. */
  public HintRecord next() {
    try {
      while (true) {
        if (scanner == null && !openNext()) {
          return null;
        }
        SegmentScanner.Item item = scanner.next();
        if (item == null) {
          closeFile();
          continue;
        }
        advance(new HintPosition(segment, item.end()));
        if (item.hint().createdMillis() < expireBeforeMillis) {
          report.expired(segment, item.offset());
          continue;
        }
        return new HintRecord(
            item.hint(),
            file.path(),
            new HintPosition(segment, item.offset()),
            new HintPosition(segment, item.end()));
      }
    } catch (IOException e) {
      throw new StorageIOException("reading hints for " + target.id(), e);
    }
  }

  private boolean openNext() throws IOException {
    while (index < segments.size()) {
      TargetLog.View v = segments.get(index++);
      if (v.number() < from.segment()) {
        continue;
      }
      long start = v.number() == from.segment() ? from.offset() : 0;
      segment = v.number();
      end = new HintPosition(v.number(), v.limit());
      try {
        file = env.newReadableFile(v.path());
      } catch (NoSuchFileException e) {
        advance(end); // deleted since this reader was made: delivered or expired
        continue;
      }
      scanner = SegmentScanner.open(file, v.limit(), v.number(), target, start, report);
      return true;
    }
    return false;
  }

  private void advance(HintPosition p) {
    if (p.compareTo(position) > 0) {
      position = p;
    }
  }

  private void closeFile() throws IOException {
    if (scanner != null) {
      advance(end);
    }
    scanner = null;
    if (file != null) {
      file.close();
      file = null;
    }
  }

  /**
   * Everything before this was returned or skipped: after a record, its {@code next}; after the
   * last one, the end of the last segment read. Never before the reader's start.
   */
  public HintPosition position() {
    return position;
  }

  /** Corrupt records skipped so far. */
  public long corrupt() {
    return report.corrupt();
  }

  /** Torn tails met so far. */
  public long torn() {
    return report.torn();
  }

  /** Expired hints skipped so far. */
  public long expired() {
    return report.expired();
  }

  /** What was skipped, with file and offset (the first 1000). */
  public List<HintProblem> problems() {
    return report.problems();
  }

  /** Closes the open segment file, if any. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    scanner = null; // a closed reader has not finished its segment: the position stays
    try {
      if (file != null) {
        file.close();
        file = null;
      }
    } catch (IOException e) {
      throw new StorageIOException("closing hint segment of " + target.id(), e);
    }
  }
}
