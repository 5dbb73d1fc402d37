/**
 * Anti-entropy core (DESIGN.md section 7): per-partition hash trees kept up to date by XOR deltas,
 * their persisted form, and the comparison of a local tree with a remote one. A library: no
 * network, no threads, no clock, no static state; the node supplies storage scans, the lock
 * that orders writes against rebuilds, the transport behind {@link
 * io.kvstore.antientropy.RemoteTree} and the pause between the two comparison passes.
 *
 * <ul>
 *   <li>{@link io.kvstore.antientropy.TreeShape}: segments per partition and branch fanout.
 *   <li>{@link io.kvstore.antientropy.KeyHashes}: ring hash, entry hash, partition and segment of
 *       a hash, and the 8-byte key-prefix bounds of partitions and segments (FORMAT.md).
 *   <li>{@link io.kvstore.antientropy.PartitionTree}: leaves, branches and root of one
 *       partition; incremental updates; rebuild while writes continue.
 *   <li>{@link io.kvstore.antientropy.LeafAccumulator}: folds a partition scan into leaves.
 *   <li>{@link io.kvstore.antientropy.TreeFile}: the persisted tree file (FORMAT.md), failing
 *       with {@link io.kvstore.antientropy.TreeFileException}.
 *   <li>{@link io.kvstore.antientropy.RemoteTree}, {@link io.kvstore.antientropy.TreeDiff}: root,
 *       branch and leaf comparison against a remote tree, and the compare-twice second pass;
 *       {@link io.kvstore.antientropy.ShapeMismatchException} when the remote's shape differs.
 *   <li>{@link io.kvstore.antientropy.KeyHash}, {@link io.kvstore.antientropy.KeyDiff}: the keys
 *       that differ between two listings of a segment.
 * </ul>
 */
package io.kvstore.antientropy;
