package io.kvstore.node.coord;

import io.kvstore.node.time.Clock;
import io.kvstore.node.time.Scheduler;
import java.util.concurrent.Executor;

/**
 * Where a {@link Coordinator} gets time and threads: the clock, a scheduler for deadlines and
 * per-replica timeouts, an executor for local fsyncs (which overlap with replication) and one for
 * read repair (bounded; repairs it refuses are dropped). Tests pass direct executors and a
 * simulated clock. Immutable.
 */
public record CoordinatorRuntime(
    Clock clock, Scheduler scheduler, Executor syncExecutor, Executor repairExecutor) {}
