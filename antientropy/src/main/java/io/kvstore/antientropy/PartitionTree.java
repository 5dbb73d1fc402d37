package io.kvstore.antientropy;

import java.util.Arrays;
import java.util.Objects;

/**
 * The hash tree of one partition (DESIGN.md section 7): {@code segments} leaves, each the XOR of
 * {@link KeyHashes#entryHash} over the keys of that segment; {@code segments / fanout} branches,
 * each the XOR of its {@code fanout} leaves; a root, the XOR of all branches. Because every level
 * is an XOR, a write applies {@code delta = entryHash(key, old) ^ entryHash(key, new)} to one
 * leaf, its branch and the root in O(1), and no level ever needs a rebuild to stay consistent
 * with the level below.
 *
 * <p>Thread-safe: every method is synchronized on the tree and is O(1) or O(segments). Arrays
 * handed out are copies. Invariants: {@code branches[b] == XOR(leaves[b*fanout ..
 * (b+1)*fanout))} and {@code root == XOR(branches)} at every point observable from outside;
 * at most one {@link Rebuild} is open at a time.
 *
 * <p><b>Rebuild while writes continue.</b> To catch silent divergence the node rebuilds a tree
 * from storage. Its contract:
 *
 * <ol>
 *   <li>While holding a lock that excludes writers of this partition (a writer holds it across
 *       its store write <em>and</em> its {@link #apply}), open a snapshot scan of the partition
 *       and call {@link #beginRebuild}; then release the lock. Every write is thus either in the
 *       snapshot or recorded by the rebuild as pending, never both, never neither.
 *   <li>Scan the snapshot, folding each key into a {@link LeafAccumulator}.
 *   <li>Call {@link #finishRebuild} with the scanned leaves (or {@link #abortRebuild} if the scan
 *       failed). The tree becomes {@code scanned XOR pending}: the snapshot plus every later
 *       write, whatever the live tree held before.
 * </ol>
 */
public final class PartitionTree {
  /**
   * An open rebuild: a token that only its tree accepts, and only while it is the open one.
   * Holds the XOR of every delta applied since {@link #beginRebuild}, per segment.
   */
  public static final class Rebuild {
    private final long[] pending;

    private Rebuild(int segments) {
      this.pending = new long[segments];
    }
  }

  private final TreeShape shape;
  private final long[] leaves;
  private final long[] branches;
  private long root;
  private boolean built;
  private Rebuild open;

  /** An empty tree (all zero), not yet {@link #built()}. */
  public PartitionTree(TreeShape shape) {
    this.shape = Objects.requireNonNull(shape, "shape");
    this.leaves = new long[shape.segments()];
    this.branches = new long[shape.branches()];
  }

  /** A built tree with these leaves (e.g. loaded from a tree file); branches and root follow. */
  public static PartitionTree of(TreeShape shape, long[] leaves) {
    PartitionTree t = new PartitionTree(shape);
    t.checkLeafCount(leaves, "leaves");
    System.arraycopy(leaves, 0, t.leaves, 0, leaves.length);
    t.recomputeUpperLevels();
    t.built = true;
    return t;
  }

  public TreeShape shape() {
    return shape;
  }

  /**
   * True once the tree reflects storage: loaded from a file, rebuilt from a scan, or declared so
   * with {@link #markBuilt} (a partition known to be empty). An exchange should only compare
   * built trees; an unbuilt tree is not wrong, only likely to report spurious differences.
   */
  public synchronized boolean built() {
    return built;
  }

  /** Declares the tree a true image of storage, e.g. for a partition created empty. */
  public synchronized void markBuilt() {
    built = true;
  }

  /** XORs {@code delta} into a segment's leaf, its branch and the root (and an open rebuild). */
  public synchronized void apply(int segment, long delta) {
    shape.checkSegment(segment);
    leaves[segment] ^= delta;
    branches[segment / shape.fanout()] ^= delta;
    root ^= delta;
    if (open != null) {
      open.pending[segment] ^= delta;
    }
  }

  public synchronized long root() {
    return root;
  }

  public synchronized long[] branches() {
    return branches.clone();
  }

  public synchronized long[] leaves() {
    return leaves.clone();
  }

  public synchronized long leaf(int segment) {
    shape.checkSegment(segment);
    return leaves[segment];
  }

  /** The {@code fanout} leaves of each given branch, concatenated in the order given. */
  public synchronized long[] leaves(int[] branchIds) {
    int f = shape.fanout();
    long[] out = new long[Math.multiplyExact(branchIds.length, f)];
    for (int i = 0; i < branchIds.length; i++) {
      System.arraycopy(leaves, shape.firstSegmentOf(branchIds[i]), out, i * f, f);
    }
    return out;
  }

  /**
   * Starts recording every later {@link #apply} delta besides applying it. See the class
   * comment for the lock the caller must hold. Throws IllegalStateException if a rebuild is
   * already open.
   */
  public synchronized Rebuild beginRebuild() {
    if (open != null) {
      throw new IllegalStateException("a rebuild of this tree is already open");
    }
    open = new Rebuild(shape.segments());
    return open;
  }

  /**
   * Installs {@code scannedLeaves XOR pending} as the leaves, recomputes branches and root,
   * marks the tree built and closes the rebuild. Returns how many leaves changed: the segments
   * where the tree had drifted from storage (0 for a tree that was right; every non-empty
   * segment for a tree that was never built).
   */
  public synchronized int finishRebuild(Rebuild rebuild, long[] scannedLeaves) {
    checkOpen(rebuild, "finish");
    checkLeafCount(scannedLeaves, "scannedLeaves");
    int changed = 0;
    for (int s = 0; s < leaves.length; s++) {
      long next = scannedLeaves[s] ^ rebuild.pending[s];
      if (next != leaves[s]) {
        changed++;
      }
      leaves[s] = next;
    }
    recomputeUpperLevels();
    built = true;
    open = null;
    return changed;
  }

  /** Closes the rebuild and leaves the live tree as it is. */
  public synchronized void abortRebuild(Rebuild rebuild) {
    checkOpen(rebuild, "abort");
    open = null;
  }

  /** True while a rebuild is open. */
  public synchronized boolean rebuilding() {
    return open != null;
  }

  private void checkOpen(Rebuild rebuild, String verb) {
    Objects.requireNonNull(rebuild, "rebuild");
    if (rebuild != open) {
      throw new IllegalStateException(
          "cannot " + verb + " a rebuild that is not the open rebuild of this tree");
    }
  }

  private void checkLeafCount(long[] given, String what) {
    Objects.requireNonNull(given, what);
    if (given.length != shape.segments()) {
      throw new IllegalArgumentException(what + " has " + given.length + " entries, the shape "
          + shape + " has " + shape.segments() + " segments");
    }
  }

  private void recomputeUpperLevels() {
    Arrays.fill(branches, 0);
    long r = 0;
    for (int s = 0; s < leaves.length; s++) {
      branches[s / shape.fanout()] ^= leaves[s];
      r ^= leaves[s];
    }
    root = r;
  }

  @Override
  public synchronized String toString() {
    return String.format("PartitionTree{%s, root=%016x, built=%s%s}",
        shape, root, built, open != null ? ", rebuilding" : "");
  }
}
