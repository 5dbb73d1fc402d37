/**
 * The durable hint store of hinted handoff (DESIGN.md section 6); byte layout in FORMAT.md.
 *
 * <ul>
 *   <li>{@link io.kvstore.node.hints.HintStore}: per-target segment logs with group commit,
 *       checkpoints, deletion, expiry and stats.
 *   <li>{@link io.kvstore.node.hints.HintReader}: a replay cursor that steps over corruption.
 *   <li>{@code HintFormat}, {@code HintFiles}: encoders and file names; {@code TargetLog}: one
 *       target's segments, checkpoint and stats; {@code Segment}: what it knows of one file;
 *       {@code RecordIndex}: per-record offsets for exact stats; {@code LossLedger}: lost records
 *       counted once; {@code SegmentScanner}: reads one segment; {@code ReadReport}: what a
 *       reader stepped over; {@code CheckpointFile}; {@code HintRecovery}: the scan at open.
 *   <li>Values: {@link io.kvstore.node.hints.Hint}, {@link io.kvstore.node.hints.HintPosition},
 *       {@link io.kvstore.node.hints.HintRecord}, {@link io.kvstore.node.hints.HintProblem},
 *       {@link io.kvstore.node.hints.HintStats}.
 * </ul>
 */
package io.kvstore.node.hints;
