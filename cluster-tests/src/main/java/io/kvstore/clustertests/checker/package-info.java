/**
 * The checkers of FAULT-SUITE.md: pure functions from a recorded {@link
 * io.kvstore.clustertests.history.History} to a {@link io.kvstore.clustertests.checker.CheckResult}.
 *
 * <ul>
 *   <li>{@link io.kvstore.clustertests.checker.Checker}: the interface; results carry counts,
 *       anomalies (which fail the check, each naming keys, values and op indexes) and notes.
 *   <li>{@link io.kvstore.clustertests.checker.LostWritesChecker} (C1), {@link
 *       io.kvstore.clustertests.checker.ConvergenceChecker} (C2), {@link
 *       io.kvstore.clustertests.checker.ReadAfterWriteChecker} (C3), {@link
 *       io.kvstore.clustertests.checker.ResurrectionChecker} (C4), {@link
 *       io.kvstore.clustertests.checker.ClockChecker} (C5), {@link
 *       io.kvstore.clustertests.checker.SanityChecker} (sanity and the negative control), {@link
 *       io.kvstore.clustertests.checker.AvailabilityChecker} (the availability floor, over
 *       {@link io.kvstore.clustertests.availability.Availability}).
 *   <li>Helpers: {@link io.kvstore.clustertests.checker.FinalViews} (end-of-run reads), {@link
 *       io.kvstore.clustertests.checker.DeleteCoverage} (what a delete certainly covered), {@link
 *       io.kvstore.clustertests.checker.Successors} (a register value's causal successors),
 *       {@link io.kvstore.clustertests.checker.Clocks} (dot and clock strings).
 *   <li>Judged or reported from what the harness measured outside the history: {@link
 *       io.kvstore.clustertests.checker.HintDrain} (hint queues after the heal), {@link
 *       io.kvstore.clustertests.checker.AntiEntropyStats} (exchanges, repairs and tombstone purges
 *       per scenario).
 *   <li>{@link io.kvstore.clustertests.checker.Summary} (one line per scenario) and {@link
 *       io.kvstore.clustertests.checker.Report} (history.jsonl, summary.txt, timeline.png).
 * </ul>
 *
 * <p>Checkers never imagine an anomaly: where the history cannot decide (opaque contexts,
 * indeterminate operations) they judge conservatively and say so in a note.
 */
package io.kvstore.clustertests.checker;
