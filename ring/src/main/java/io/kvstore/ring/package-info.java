/**
 * Consistent-hash ring: keys to partitions, partitions to nodes, preference lists (DESIGN.md
 * section 3). Pure, immutable values; no I/O, no threads, no clock.
 *
 * <ul>
 *   <li>{@link io.kvstore.ring.NodeId}: a physical node's identity.
 *   <li>{@link io.kvstore.ring.Partitioner}: Murmur3 hash of a key, Q equal partitions of the
 *       64-bit hash space; {@link io.kvstore.ring.HashRange} is one partition's slice.
 *   <li>{@link io.kvstore.ring.Ring}: the assignment of partitions to nodes at an epoch; join and
 *       leave produce new rings with minimal moves; preference lists with fallbacks.
 *   <li>{@code Rebalancer} and {@code Assignment}: the claim algorithms behind join and leave.
 *   <li>{@code RingCodec}: the binary encoding described in FORMAT.md.
 * </ul>
 */
package io.kvstore.ring;
