package io.kvstore.node.coord;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read repair's executor. Repair is best effort (Dynamo 4.7), so it must never slow the request
 * path or grow memory: one thread and a bounded queue. A repair that finds the queue full is
 * dropped, logged and reported ({@link CoordinatorListener#readRepairDropped}); one that arrives
 * after shutdown is dropped quietly (the node is stopping). Either way anti-entropy repairs what
 * it would have.
 */
public final class RepairQueue {
  private static final Logger LOG = LoggerFactory.getLogger(RepairQueue.class);

  private RepairQueue() {}

  public static ExecutorService create(String nodeId, int capacity, ThreadFactory threads,
      CoordinatorListener listener) {
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity),
        threads, (repair, executor) -> {
          if (executor.isShutdown()) {
            LOG.debug("event=read_repair_dropped node={} reason=shutdown", nodeId);
            return;
          }
          listener.readRepairDropped();
          LOG.warn("event=read_repair_dropped node={} reason=queue_full capacity={}", nodeId,
              capacity);
        });
  }
}
