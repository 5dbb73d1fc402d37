/**
 * The request path (DESIGN.md section 4): quorum writes and reads over the key's preference list.
 *
 * <ul>
 *   <li>{@link io.kvstore.node.coord.Coordinator}: coordinates writes (or forwards them to a
 *       replica) and digest reads; routes around replicas the failure detector sees down.
 *   <li>{@link io.kvstore.node.coord.Quorum}: counts one request's replies (R/W, PR/PW, primaries
 *       first), fails early when the quorum became impossible, recruits replacements.
 *   <li>{@link io.kvstore.node.coord.Fallbacks}: a write's replacements (sloppy quorum, hints);
 *       {@link io.kvstore.node.coord.ReadTargets}: whom a read asks, for the full state or a
 *       digest, and who replaces a lost target; {@link io.kvstore.node.coord.DigestRead}: turns
 *       full answers and digests into known states, with a second round trip on a mismatch.
 *   <li>{@link io.kvstore.node.coord.ReadRepair}: brings the stale replicas among those that
 *       answered a read up to the merge, off the client's path.
 *   <li>{@link io.kvstore.node.coord.ReplicaTimeout}: the per-replica timeout from recent p99s.
 *   <li>{@link io.kvstore.node.coord.ReplicaClient}: the transport to other replicas (gRPC, or a
 *       simulated network in tests); {@link io.kvstore.node.coord.CoordinatorRuntime}: clock,
 *       scheduler and executors.
 * </ul>
 *
 * <p>No static state; time and the network come in through the runtime and the client, so the
 * protocol runs over a simulated network and clock in tests.
 */
package io.kvstore.node.coord;
