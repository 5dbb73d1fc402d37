package io.kvstore.node.hints;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A replay cursor over one target's segments, in order, from a starting position. It sees the
 * segments as they were when it was made, and of the segment being appended only the fsynced part.
 * Corrupt records and torn tails are stepped over and counted (FORMAT.md, "Reading"); hints
 * created before {@code expireBeforeMillis} are skipped and counted as expired.
 *
 * <p>Not thread safe: one replaying thread owns it. {@link #close} hands the counts to the store.
 */
public final class HintReader implements AutoCloseable {
  private final Env env;
  private final NodeId target;
  private final List<TargetLog.View> segments;
  private final HintPosition from;
  private final long expireBeforeMillis;
  private final Consumer<ReadReport> onClose;
  private final ReadReport report = new ReadReport();
  private int index;
  private ReadableFile file;
  private SegmentScanner scanner;
  private long segment;
  private boolean closed;

  HintReader(
      Env env,
      NodeId target,
      List<TargetLog.View> segments,
      HintPosition from,
      long expireBeforeMillis,
      Consumer<ReadReport> onClose) {
    this.env = env;
    this.target = target;
    this.segments = segments;
    this.from = from;
    this.expireBeforeMillis = expireBeforeMillis;
    this.onClose = onClose;
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
        if (item.hint().createdMillis() < expireBeforeMillis) {
          report.expired(1);
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
      file = env.newReadableFile(v.path());
      segment = v.number();
      scanner = SegmentScanner.open(file, v.limit(), v.number(), target, start, report);
      return true;
    }
    return false;
  }

  private void closeFile() throws IOException {
    scanner = null;
    if (file != null) {
      file.close();
      file = null;
    }
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

  @Override
  public void close() {
    boolean first = !closed;
    closed = true;
    try {
      closeFile();
    } catch (IOException e) {
      throw new StorageIOException("closing hint segment of " + target.id(), e);
    } finally {
      if (first) {
        onClose.accept(report); // counted into the store's totals once
      }
    }
  }
}
