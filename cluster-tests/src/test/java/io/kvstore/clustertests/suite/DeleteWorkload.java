package io.kvstore.clustertests.suite;

import io.kvstore.client.GetResult;
import io.kvstore.clustertests.history.Op;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delete workload (FAULT-SUITE.md), judged by C3 (a strict read after an acknowledged delete
 * holds none of the values the delete covered) and, reported, C4: a few keys shared by all
 * clients. A step reads the key, writes a unique value ("d1", "d2", ...) with the read's context,
 * reads again and deletes with that read's context; occasionally it then re-adds the same value
 * with the same context, a write concurrent with the delete, which must survive it as a new
 * sibling (the checkers exclude values written more than once from what a delete covered).
 */
final class DeleteWorkload implements Workload {
  /** The share of deletes followed by a concurrent re-add. */
  static final double READD = 0.25;

  private final RotatingKeys keys;
  private final boolean negativeControl;
  private final AtomicInteger nextValue = new AtomicInteger(1);

  /**
   * @param negativeControl if true, every delete is followed by a re-add that is not recorded:
   *     to the history the value comes back from nowhere after its acknowledged delete, as it
   *     would if the store resurrected it, and C4 (and C3) must say so
   */
  DeleteWorkload(RotatingKeys keys, boolean negativeControl) {
    this.keys = keys;
    this.negativeControl = negativeControl;
  }

  @Override
  public void step(ClientOps ops) {
    String key = keys.pick(ops.random());
    GetResult before = ops.read(key);
    if (before == null) {
      return;
    }
    String value = "d" + nextValue.getAndIncrement();
    if (!ops.put(Op.F.WRITE, key, value, ClientOps.bytes(value), before.context())) {
      return;
    }
    GetResult seen = ops.read(key);
    if (seen == null || !seen.found() || !ops.delete(key, seen.context())) {
      return; // (not found: another client deleted the value already)
    }
    if (negativeControl) {
      ops.unrecordedPut(key, value, seen.context());
    } else if (ops.random().nextDouble() < READD) {
      ops.put(Op.F.WRITE, key, value, ClientOps.bytes(value), seen.context());
    }
  }

  @Override
  public List<String> usedKeys() {
    return keys.used();
  }
}
