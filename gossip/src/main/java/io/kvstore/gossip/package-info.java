/**
 * Membership and failure detection (DESIGN.md section 5): gossip of a membership view and a phi
 * accrual detector per peer, fed by direct pings. A deterministic core: no threads, no I/O, no
 * clock; a transport layer elsewhere drives it from one thread. The protocol is described in
 * this module's README.md.
 *
 * <ul>
 *   <li>{@link io.kvstore.gossip.GossipCore}: one node's state machine; {@code tick},
 *       {@code onRequest} and {@code onResponse} in, {@link io.kvstore.gossip.Effects} (requests
 *       to send, {@link io.kvstore.gossip.LivenessEvent}s) out.
 *   <li>{@link io.kvstore.gossip.PhiAccrualDetector}: one peer's detector (Akka's normal model).
 *   <li>{@link io.kvstore.gossip.MembershipView} of {@link io.kvstore.gossip.EndpointState}s:
 *       the gossiped value, merged by (generation, heartbeat version).
 *   <li>{@link io.kvstore.gossip.GossipMessage}: Ping/PingAck (liveness), Syn/SynAck (push-pull
 *       of the view); {@link io.kvstore.gossip.Outbound} and {@link io.kvstore.gossip.Reply}
 *       carry them to and from the caller.
 *   <li>{@link io.kvstore.gossip.GossipConfig}: timing and detector parameters;
 *       {@link io.kvstore.gossip.PeerState} and {@link io.kvstore.gossip.GossipCounters}: what
 *       status pages and metrics show.
 *   <li>{@code PeerTracker} (one peer's verdict) and {@code SynTargets} (where gossip goes):
 *       internal parts of the core.
 * </ul>
 */
package io.kvstore.gossip;
