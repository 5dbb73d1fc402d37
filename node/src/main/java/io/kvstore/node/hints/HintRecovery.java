package io.kvstore.node.hints;

import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a store's view of its directory at open: checkpoints are read first, then every segment
 * is scanned (to count its hints and bytes, to index the segment holding the checkpoint, and to
 * report corruption), and leftover temp files are deleted. Nothing is truncated or rewritten;
 * corruption is noted in the report and in each target's ledger, never thrown.
 *
 * <p>Stateless; {@link #recover} runs once, before the store is shared.
 */
final class HintRecovery {
  private static final Logger log = LoggerFactory.getLogger(HintRecovery.class);

  private HintRecovery() {}

  static void recover(
      Env env,
      Path dir,
      Function<NodeId, TargetLog> logs,
      Function<TargetLog, ReadReport.Sink> losses,
      ReadReport report)
      throws IOException {
    if (!env.exists(dir)) {
      env.createDirectories(dir);
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        env.syncDirectory(parent);
      }
    }
    List<String> names = env.list(dir);
    for (String name : names) {
      Path file = dir.resolve(name);
      if (name.endsWith(HintFiles.TEMP_SUFFIX)) {
        env.delete(file); // an unfinished checkpoint; the old one still stands
      } else if (name.endsWith(HintFiles.CHECKPOINT_SUFFIX)) {
        NodeId t = HintFiles.target(name.substring(0, name.length() - 5));
        if (t != null) {
          TargetLog l = logs.apply(t);
          ReadReport r = new ReadReport(losses.apply(l));
          l.recoveredCheckpoint(CheckpointFile.read(env, file, r)); // its problems sit at START
          report.absorb(r);
        } else {
          log.warn("hint store: ignoring unknown file {}", file);
        }
      }
    }
    for (String name : names) {
      NodeId target = HintFiles.segmentTarget(name);
      if (target != null) {
        TargetLog l = logs.apply(target);
        long number = HintFiles.segmentNumber(name);
        ReadReport r = new ReadReport(losses.apply(l));
        boolean index = number == l.checkpoint().segment();
        l.recovered(scan(env, new Segment(number, dir.resolve(name)), target, -1, index, r));
        report.absorb(r);
      } else if (!name.endsWith(HintFiles.TEMP_SUFFIX)
          && !name.endsWith(HintFiles.CHECKPOINT_SUFFIX)) {
        log.warn("hint store: ignoring unknown file {}", dir.resolve(name));
      }
    }
  }

  /** Reads the per-record index of sealed segment {@code s} (its problems are not reported). */
  static RecordIndex index(Env env, Segment s, NodeId target) throws IOException {
    Segment copy = new Segment(s.number, s.path);
    return scan(env, copy, target, s.bytes, true, new ReadReport(ReadReport.Sink.QUIET)).index;
  }

  /** Fills {@code s} from its file, read up to {@code limit} (the file size if negative). */
  private static Segment scan(
      Env env, Segment s, NodeId target, long limit, boolean index, ReadReport report)
      throws IOException {
    if (index) {
      s.index = new RecordIndex();
    }
    try (ReadableFile in = env.newReadableFile(s.path)) {
      s.bytes = limit < 0 ? in.size() : Math.min(limit, in.size());
      s.synced = s.bytes;
      SegmentScanner scanner = SegmentScanner.open(in, s.bytes, s.number, target, 0, report);
      for (SegmentScanner.Item it = scanner.next(); it != null; it = scanner.next()) {
        s.add(it.offset(), it.frameBytes(), it.hint().createdMillis());
      }
    }
    return s;
  }
}
