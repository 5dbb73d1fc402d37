/**
 * Time and scheduling for the node: {@link io.kvstore.node.time.Clock} (monotonic and wall time,
 * gRPC deadlines on that clock) and {@link io.kvstore.node.time.Scheduler} (delayed and periodic
 * tasks). Production uses the system clock and a scheduled executor; simulations substitute both.
 */
package io.kvstore.node.time;
