/**
 * Hinted handoff (DESIGN.md section 6): handing the hints this node kept for down owners back to
 * them once they are up.
 *
 * <ul>
 *   <li>{@link io.kvstore.node.handoff.HandoffManager}: sweeps, expiry, replays on up events,
 *       needs-repair flags, the summary for {@code kv status} and metrics.
 *   <li>{@code Replay}: one round for one target (batches, checkpoint, deletion); {@code
 *       Throttle}: byte cap, concurrency window, backoff; {@code RateWindow}: the replay rate;
 *       {@code RepairFlags}: the persisted needs-repair set (FORMAT.md).
 *   <li>Seams: {@link io.kvstore.node.handoff.HintDelivery} (the node sends over gRPC), {@link
 *       io.kvstore.node.handoff.HandoffListener}; value {@link
 *       io.kvstore.node.handoff.HandoffSummary}.
 * </ul>
 */
package io.kvstore.node.handoff;
