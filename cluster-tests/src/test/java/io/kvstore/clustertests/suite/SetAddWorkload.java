package io.kvstore.clustertests.suite;

import io.kvstore.client.GetResult;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.SetCodec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The set-add workload (FAULT-SUITE.md), judged by C1: a few keys, each holding a set of ints; an
 * add reads the key (R=2), takes the union of its siblings plus a fresh element, and writes it
 * back with the read's context (W=2). Recorded as READ then ADD (the element).
 *
 * <p>The negative control resolves siblings wrongly (keeps the first, drops the rest), and
 * {@link #forceSiblings} begins its run with two concurrent writes so that there are siblings to
 * drop: the C1 checker must see lost writes in its history, or the harness cannot see loss.
 */
final class SetAddWorkload implements Workload {
  private final RotatingKeys keys;
  private final boolean negativeControl;
  private final AtomicInteger nextElement = new AtomicInteger(1);

  SetAddWorkload(RotatingKeys keys, boolean negativeControl) {
    this.keys = keys;
    this.negativeControl = negativeControl;
  }

  @Override
  public void step(ClientOps ops) {
    String key = keys.pick(ops.random());
    GetResult read = ops.read(key);
    if (read != null) {
      add(ops, key, read);
    }
  }

  @Override
  public List<String> usedKeys() {
    return keys.used();
  }

  private void add(ClientOps ops, String key, GetResult read) {
    int element = nextElement.getAndIncrement();
    List<String> siblings = ClientOps.strings(read.siblings());
    if (negativeControl && siblings.size() > 1) {
      siblings = siblings.subList(0, 1); // the bug under control: drops concurrent siblings
    }
    ops.put(Op.F.ADD, key, Integer.toString(element),
        ClientOps.bytes(SetCodec.add(siblings, element)), read.context());
  }

  /** Two adds with the same context through two nodes: two siblings, for the control to drop. */
  void forceSiblings(ClientOps a, ClientOps b) {
    String key = keys.first();
    GetResult base = a.read(key);
    if (base != null) {
      add(a, key, base);
      add(b, key, base);
    }
  }
}
