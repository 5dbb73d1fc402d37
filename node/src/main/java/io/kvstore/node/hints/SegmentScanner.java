package io.kvstore.node.hints;

import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reads the records of one hint segment up to a size limit, applying the rules of FORMAT.md
 * ("Reading"): a bad record whose length is trustworthy is skipped and reading goes on after it; a
 * bad length skips the rest of the segment; a torn tail ends the segment. Everything skipped is
 * noted in the {@link ReadReport}, with file and offset; nothing here throws for bad data.
 *
 * <p>Not thread safe. Invariant: {@code pos} is the start of a record or the end of what is read.
 */
final class SegmentScanner {
  /** A decoded record and where it ends. */
  record Item(Hint hint, long offset, long end, int frameBytes) {}

  private final ReadableFile file;
  private final Path path;
  private final long limit;
  private final ReadReport report;
  private final long segment;
  private final byte[] header = new byte[HintFormat.RECORD_HEADER_SIZE];
  private long pos;
  private boolean done;

  private SegmentScanner(ReadableFile file, long limit, long segment, ReadReport report) {
    this.file = file;
    this.path = file.path();
    this.limit = limit;
    this.segment = segment;
    this.report = report;
  }

  /**
   * Checks the segment header and positions the scanner at {@code from} (or the first record, if
   * {@code from} lies inside the header). A bad header notes one problem and yields no records.
   */
  static SegmentScanner open(
      ReadableFile file, long limit, long segment, NodeId target, long from, ReadReport report)
      throws IOException {
    SegmentScanner s = new SegmentScanner(file, limit, segment, report);
    long first = s.checkHeader(segment, target);
    s.pos = Math.max(first, from);
    s.done = first < 0 || s.pos >= limit;
    return s;
  }

  private long checkHeader(long segment, NodeId target) throws IOException {
    int size = HintFormat.segmentHeaderSize(target);
    if (limit < size || allZero(0, limit)) {
      return problem(HintProblem.Kind.TORN, 0, "segment header incomplete or zero (" + limit + "B)");
    }
    byte[] h = new byte[size];
    file.readFully(0, h, 0, size);
    byte[] want = HintFormat.encodeSegmentHeader(segment, target);
    ByteBuffer b = ByteBuffer.wrap(h);
    if (b.getInt(0) != HintFormat.SEGMENT_MAGIC) {
      return problem(HintProblem.Kind.CORRUPT, 0, String.format("bad magic 0x%08x", b.getInt(0)));
    }
    if (b.getInt(4) != HintFormat.VERSION) {
      return problem(HintProblem.Kind.CORRUPT, 0, "unsupported version " + b.getInt(4));
    }
    if (!java.util.Arrays.equals(h, want)) {
      return problem(
          HintProblem.Kind.CORRUPT, 0, "header checksum, segment number or target id mismatch");
    }
    return size;
  }

  /** The next good record, or null at the end of the segment. */
  Item next() throws IOException {
    while (!done) {
      Item item = readOne();
      if (item != null) {
        return item;
      }
    }
    return null;
  }

  /** One step: a record, or null after skipping one (or ending the segment). */
  private Item readOne() throws IOException {
    long start = pos;
    long left = limit - start;
    if (left < HintFormat.RECORD_HEADER_SIZE) {
      return end(left == 0 ? null : HintProblem.Kind.TORN, start, "record header cut short");
    }
    file.readFully(start, header, 0, header.length);
    ByteBuffer h = ByteBuffer.wrap(header);
    if (h.getInt(4) != HintFormat.lengthCheck(header, 0)) {
      boolean zeros = allZero(start, limit);
      return end(zeros ? HintProblem.Kind.TORN : HintProblem.Kind.CORRUPT, start,
          zeros ? "zero-filled tail" : "length check mismatch; rest of segment skipped");
    }
    long length = Integer.toUnsignedLong(h.getInt(0));
    if (length > HintFormat.MAX_PAYLOAD_SIZE) {
      return end(HintProblem.Kind.CORRUPT, start, "length " + length + "; rest of segment skipped");
    }
    long recordEnd = start + HintFormat.RECORD_HEADER_SIZE + length;
    if (recordEnd > limit) {
      return end(HintProblem.Kind.TORN, start, "record runs past the end, at " + recordEnd);
    }
    byte[] payload = new byte[(int) length];
    file.readFully(start + HintFormat.RECORD_HEADER_SIZE, payload, 0, payload.length);
    pos = recordEnd;
    done = recordEnd == limit;
    if (h.getInt(8) != HintFormat.recordCrc(header, 0, payload, 0, payload.length)) {
      if (allZero(recordEnd, limit)) {
        return end(HintProblem.Kind.TORN, start, "checksum mismatch in the final record");
      }
      problem(HintProblem.Kind.CORRUPT, start, "record checksum mismatch; record skipped");
      return null;
    }
    try {
      return new Item(HintFormat.decodeHint(payload), start, recordEnd, (int) (recordEnd - start));
    } catch (IllegalArgumentException e) {
      problem(HintProblem.Kind.CORRUPT, start, "malformed hint: " + e.getMessage());
      return null;
    }
  }

  /** Ends the segment, noting a problem of {@code kind} unless it is null (a clean end). */
  private Item end(HintProblem.Kind kind, long offset, String reason) {
    done = true;
    if (kind != null) {
      problem(kind, offset, reason);
    }
    return null;
  }

  private long problem(HintProblem.Kind kind, long offset, String reason) {
    report.note(segment, new HintProblem(kind, path, offset, reason));
    return -1;
  }

  private boolean allZero(long from, long to) throws IOException {
    byte[] buf = new byte[8192];
    for (long p = from; p < to; p += buf.length) {
      int n = (int) Math.min(buf.length, to - p);
      file.readFully(p, buf, 0, n);
      for (int i = 0; i < n; i++) {
        if (buf[i] != 0) {
          return false;
        }
      }
    }
    return true;
  }
}
