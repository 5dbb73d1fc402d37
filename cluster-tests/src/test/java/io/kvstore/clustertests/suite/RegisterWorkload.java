package io.kvstore.clustertests.suite;

import io.kvstore.client.Context;
import io.kvstore.client.GetResult;
import io.kvstore.clustertests.history.Op;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The register workload (FAULT-SUITE.md), judged by C3 (a strict read after a strict write holds
 * the value or a causal successor) and C5: a few keys, each written with unique values ("r1",
 * "r2", ...). Most writes read first and carry the read's context, superseding what was read;
 * some carry an older context of the same key (stale: concurrent with everything written since)
 * and some none at all (blind), so siblings arise and are resolved by later writes.
 */
final class RegisterWorkload implements Workload {
  /** Of all writes: this share blind, the next share with a stale context. */
  static final double BLIND = 0.15;
  static final double STALE = 0.15;

  private final RotatingKeys keys;
  private final AtomicInteger nextValue = new AtomicInteger(1);
  /** Per key, a context some client read earlier: what a stale write carries. */
  private final Map<String, Context> older = new ConcurrentHashMap<>();

  RegisterWorkload(RotatingKeys keys) {
    this.keys = keys;
  }

  @Override
  public void step(ClientOps ops) {
    String key = keys.pick(ops.random());
    double dice = ops.random().nextDouble();
    Context context = Context.EMPTY;
    if (dice >= BLIND) {
      GetResult read = ops.read(key);
      if (read == null) {
        return;
      }
      Context fresh = read.context();
      Context stale = older.put(key, fresh);
      context = dice < BLIND + STALE && stale != null ? stale : fresh;
    }
    String value = "r" + nextValue.getAndIncrement();
    ops.put(Op.F.WRITE, key, value, ClientOps.bytes(value), context);
  }

  @Override
  public List<String> usedKeys() {
    return keys.used();
  }
}
