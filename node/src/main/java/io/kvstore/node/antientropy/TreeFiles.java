package io.kvstore.node.antientropy;

import io.kvstore.antientropy.PartitionTree;
import io.kvstore.antientropy.TreeFile;
import io.kvstore.antientropy.TreeFileException;
import io.kvstore.lsm.env.Env;
import io.kvstore.node.store.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trees a clean shutdown leaves in {@code meta/aae-trees} (antientropy/FORMAT.md). The file
 * is written only after the engine closed (its data durable), and deleted as soon as it is read
 * at start, before the store takes a write: a later unclean stop then finds no file, and every
 * tree is rebuilt from storage. Anything wrong with the file (corrupt, another shape or partition
 * count) is logged and the trees are rebuilt: it is a cache, never the truth.
 *
 * <p>Stateless.
 */
public final class TreeFiles {
  private static final Logger LOG = LoggerFactory.getLogger(TreeFiles.class);
  public static final String NAME = "aae-trees";
  private static final long MAX_BYTES = 1L << 31;

  private TreeFiles() {}

  /** Reads and deletes the file; returns the trees to trust (empty: rebuild them all). */
  public static Map<Integer, PartitionTree> loadOnce(Env env, Path file, Trees trees)
      throws IOException {
    byte[] bytes = AtomicFiles.read(env, file, MAX_BYTES);
    if (bytes == null) {
      return Map.of();
    }
    AtomicFiles.delete(env, file);
    try {
      TreeFile.Contents c = TreeFile.decode(bytes);
      if (c.partitionCount() != trees.partitionCount() || !c.shape().equals(trees.shape())) {
        LOG.warn("event=tree_file_ignored file={} reason=\"shape {} x {} differs from {} x {}\"",
            file, c.partitionCount(), c.shape(), trees.partitionCount(), trees.shape());
        return Map.of();
      }
      return c.trees();
    } catch (TreeFileException e) {
      LOG.warn("event=tree_file_ignored file={} reason=\"{}\" (trees are rebuilt from storage)",
          file, e.getMessage());
      return Map.of();
    }
  }

  /** Writes every built tree (after a clean shutdown closed the engine). */
  public static void save(Env env, Path file, Trees trees) throws IOException {
    AtomicFiles.write(env, file,
        TreeFile.encode(trees.partitionCount(), trees.shape(), trees.builtTrees()));
  }
}
