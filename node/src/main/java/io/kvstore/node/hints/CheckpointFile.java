package io.kvstore.node.hints;

import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.lsm.env.WritableFile;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The replay checkpoint of one target, {@code <stem>.ckpt} (FORMAT.md, "Checkpoint file"). A new
 * value is written to {@code <stem>.ckpt.tmp}, fsynced, renamed over the old file and the directory
 * fsynced, so a crash leaves either the old or the new checkpoint, never a mix.
 *
 * <p>Stateless; calls for one target must not overlap (the store serializes them).
 */
final class CheckpointFile {
  private CheckpointFile() {}

  static void write(Env env, Path dir, NodeId target, HintPosition p) throws IOException {
    Path file = dir.resolve(HintFiles.checkpointName(target));
    Path temp = dir.resolve(HintFiles.checkpointName(target) + HintFiles.TEMP_SUFFIX);
    try (WritableFile out = env.newWritableFile(temp)) {
      out.append(HintFormat.encodeCheckpoint(p));
      out.sync();
    }
    env.renameAtomic(temp, file);
    env.syncDirectory(dir);
  }

  /**
   * The stored checkpoint, {@link HintPosition#START} if there is none, or, if the file is bad,
   * START with the problem noted: replaying from the start again is harmless, refusing to start is
   * not.
   */
  static HintPosition read(Env env, Path file, ReadReport report) throws IOException {
    if (!env.exists(file)) {
      return HintPosition.START;
    }
    try (ReadableFile in = env.newReadableFile(file)) {
      byte[] b = new byte[(int) Math.min(in.size(), HintFormat.CHECKPOINT_SIZE + 1)];
      in.readFully(0, b, 0, b.length);
      return HintFormat.decodeCheckpoint(b);
    } catch (IllegalArgumentException e) {
      // noted at segment 0 (no segment has that number): the checkpoint is lost once per open
      report.note(0,
          new HintProblem(HintProblem.Kind.CORRUPT, file, 0, "checkpoint: " + e.getMessage()));
      return HintPosition.START;
    }
  }
}
