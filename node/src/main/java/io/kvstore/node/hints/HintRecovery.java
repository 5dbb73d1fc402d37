package io.kvstore.node.hints;

import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a store's view of its directory at open: every segment is scanned (to count its hints
 * and bytes and to report corruption), checkpoints are read, leftover temp files deleted. Nothing
 * is truncated or rewritten; corruption is noted in the report, never thrown.
 *
 * <p>Stateless; runs once, before the store is shared.
 */
final class HintRecovery {
  private static final Logger log = LoggerFactory.getLogger(HintRecovery.class);

  private HintRecovery() {}

  static void recover(
      Env env,
      Path dir,
      long segmentBytes,
      Map<NodeId, TargetLog> logs,
      Map<NodeId, HintPosition> checkpoints,
      ReadReport report)
      throws IOException {
    if (!env.exists(dir)) {
      env.createDirectories(dir);
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        env.syncDirectory(parent);
      }
    }
    for (String name : env.list(dir)) {
      Path file = dir.resolve(name);
      NodeId target = HintFiles.segmentTarget(name);
      if (name.endsWith(HintFiles.TEMP_SUFFIX)) {
        env.delete(file); // an unfinished checkpoint; the old one still stands
      } else if (target != null) {
        TargetLog l = logs.computeIfAbsent(target, t -> new TargetLog(t, env, dir, segmentBytes));
        l.recovered(scan(env, file, HintFiles.segmentNumber(name), target, report));
      } else if (name.endsWith(HintFiles.CHECKPOINT_SUFFIX)) {
        NodeId t = HintFiles.target(name.substring(0, name.length() - 5));
        if (t != null) {
          checkpoints.put(t, CheckpointFile.read(env, file, report));
        }
      } else {
        log.warn("hint store: ignoring unknown file {}", file);
      }
    }
  }

  private static TargetLog.Segment scan(
      Env env, Path file, long number, NodeId target, ReadReport report) throws IOException {
    TargetLog.Segment s = new TargetLog.Segment(number, file);
    try (ReadableFile in = env.newReadableFile(file)) {
      s.bytes = in.size();
      s.synced = s.bytes;
      SegmentScanner scanner = SegmentScanner.open(in, s.bytes, number, target, 0, report);
      for (SegmentScanner.Item it = scanner.next(); it != null; it = scanner.next()) {
        s.add(it.hint().createdMillis(), 0);
      }
    }
    return s;
  }
}
