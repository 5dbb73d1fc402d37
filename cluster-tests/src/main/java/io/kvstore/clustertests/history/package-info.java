/**
 * The history of a fault-injection run (FAULT-SUITE.md, "History"): what every client
 * operation was asked and answered, and when each fault was injected and healed.
 *
 * <ul>
 *   <li>{@link io.kvstore.clustertests.history.History}: the thread-safe recorder the workers
 *       and the nemesis write to; {@link io.kvstore.clustertests.history.HistoryHeader} names the
 *       run (seed, scenario, start).
 *   <li>{@link io.kvstore.clustertests.history.Op}: one invocation or completion; {@link
 *       io.kvstore.clustertests.history.Completion} is what a completion reports, {@link
 *       io.kvstore.clustertests.history.RawSibling} one sibling of a replica's raw state, {@link
 *       io.kvstore.clustertests.history.OpPair} an invocation with its completion, {@link
 *       io.kvstore.clustertests.history.ClientKind} the kind of client that issued it.
 *   <li>{@link io.kvstore.clustertests.history.FaultWindow}: one injected fault.
 *   <li>{@link io.kvstore.clustertests.history.SetCodec}: the set-add workload's value encoding.
 *   <li>{@link io.kvstore.clustertests.history.HistoryWriter} / {@link
 *       io.kvstore.clustertests.history.HistoryReader}: the JSONL file (FORMAT.md here), with
 *       {@link io.kvstore.clustertests.history.HistoryFormatException} for unreadable files.
 * </ul>
 *
 * <p>No Docker, no network: a pure library the harness records into and the checkers read.
 */
package io.kvstore.clustertests.history;
