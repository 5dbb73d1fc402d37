/**
 * Liveness beside safety (FAULT-SUITE.md, "Availability"): what the faults of a run did to the
 * clients, computed from the recorded {@link io.kvstore.clustertests.history.History} alone.
 *
 * <ul>
 *   <li>{@link io.kvstore.clustertests.availability.Availability}: per fault window, all windows
 *       and the fault-free time, and per client kind (pinned, all nodes), the share of operations
 *       that succeeded, acknowledged operations per second against the time before, and the p99
 *       of acknowledged operations; one {@link io.kvstore.clustertests.availability.AvailabilityRow}
 *       each. {@code Placement} (package-private) places operations and windows in time.
 *   <li>{@link io.kvstore.clustertests.availability.AvailabilityTable}: the table in summary.txt
 *       and the one-line digest on the console.
 * </ul>
 *
 * <p>The floor that judges it is {@link io.kvstore.clustertests.checker.AvailabilityChecker}.
 * Pure functions: no clock, no I/O.
 */
package io.kvstore.clustertests.availability;
