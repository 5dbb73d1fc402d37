package io.kvstore.clustertests.suite;

import io.kvstore.client.Context;
import io.kvstore.client.DeleteResult;
import io.kvstore.client.GetResult;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import io.kvstore.client.PutResult;
import io.kvstore.client.ReadOptions;
import io.kvstore.client.WriteOptions;
import io.kvstore.clustertests.history.ClientKind;
import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One workload client: a {@link KvClient} pinned to one node, or one that knows every node
 * ({@link ClientKind}), whose every read, write and delete is recorded in the history at
 * invocation and completion (R=2, W=2), with how many acks or replies came from fallback nodes
 * (sloppy quorum) apart from the primaries'. It carries the client's
 * process id: after an indeterminate operation (INFO) it continues under a fresh process, as
 * FAULT-SUITE.md requires, and after any failure it backs off 50-150 ms (a client of a dead node
 * would otherwise spin on instant connection errors and flood the history).
 *
 * <p>What a write's outcome means: OK when acknowledged; FAIL only when it certainly changed
 * nothing ({@link #definitelyNotApplied}); INFO otherwise (a quorum failure or a timeout may have
 * written some replicas). A read changes nothing, so a failed read is FAIL.
 *
 * <p>Not thread safe: one per client thread.
 */
final class ClientOps {
  private static final ReadOptions READ = new ReadOptions(2, 0);
  private static final WriteOptions WRITE = new WriteOptions(2, 0);

  private final KvClient client;
  private final History history;
  private final ClientKind kind;
  private final String node;
  private final Random rnd;
  private int process;

  /** @param node the node a pinned client talks to; null for a client of all nodes */
  ClientOps(KvClient client, History history, ClientKind kind, String node, Random rnd) {
    this.client = client;
    this.history = history;
    this.kind = kind;
    this.node = node;
    this.rnd = rnd;
    this.process = history.newProcess();
  }

  Random random() {
    return rnd;
  }

  /** A read at R=2, recorded as READ; null when it failed. */
  GetResult read(String key) {
    Op inv = history.invoke(process, Op.F.READ, key, null, kind, node, null);
    try {
      GetResult g = client.get(bytes(key), READ);
      history.ok(inv, readCompletion(g));
      return g;
    } catch (KvException e) {
      history.fail(inv, e.toString());
      backOff();
      return null;
    }
  }

  /**
   * A put at W=2 of {@code value} (the bytes written) with {@code context}, recorded as {@code f}
   * (ADD or WRITE) with {@code recorded} as the op's value (for ADD the element, not the set).
   * Returns whether it was acknowledged.
   */
  boolean put(Op.F f, String key, String recorded, byte[] value, Context context) {
    return write(f, key, recorded, value, context) != null;
  }

  /** As {@link #put}, returning the acknowledgement (with the new context), or null. */
  PutResult write(Op.F f, String key, String recorded, byte[] value, Context context) {
    Op inv = history.invoke(process, f, key, recorded, kind, node, base64(context));
    try {
      PutResult p = client.put(bytes(key), value, context, WRITE);
      history.ok(inv, Completion.NONE.withAcks(p.acks() - p.sloppyAcks())
          .withSloppyAcks(p.sloppyAcks()).withContext(p.context().toBase64()));
      return p;
    } catch (KvException e) {
      failed(inv, e);
      return null;
    }
  }

  /** A delete at W=2 with {@code context}, recorded as DELETE; returns whether acknowledged. */
  boolean delete(String key, Context context) {
    Op inv = history.invoke(process, Op.F.DELETE, key, null, kind, node, base64(context));
    try {
      DeleteResult d = client.delete(bytes(key), context, WRITE);
      history.ok(inv, Completion.NONE.withAcks(d.acks() - d.sloppyAcks())
          .withSloppyAcks(d.sloppyAcks()));
      return true;
    } catch (KvException e) {
      failed(inv, e);
      return false;
    }
  }

  /**
   * A put that is not recorded: for negative controls only, standing for a store bug that
   * brings a value back behind the history's back. Errors are ignored.
   */
  void unrecordedPut(String key, String value, Context context) {
    try {
      client.put(bytes(key), bytes(value), context, WRITE);
    } catch (KvException e) {
      // whatever happened, the history does not know
    }
  }

  private void failed(Op inv, KvException e) {
    if (definitelyNotApplied(e)) {
      history.fail(inv, e.toString());
    } else {
      history.info(inv, e.toString());
      process = history.newProcess();
    }
    backOff();
  }

  private void backOff() {
    try {
      Thread.sleep(50 + rnd.nextInt(100));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The context as recorded in the history: null for a blind write. */
  private static String base64(Context context) {
    return context.isEmpty() ? null : context.toBase64();
  }

  /**
   * Whether a failed write certainly changed nothing: the request never reached a node, or the
   * node refused it before writing (bad input, too many siblings, overload). A quorum failure or
   * a timeout may have written some replicas: indeterminate.
   */
  static boolean definitelyNotApplied(KvException e) {
    return e.unreachable()
        || e.code() == KvException.Code.INVALID_ARGUMENT
        || e.code() == KvException.Code.FAILED_PRECONDITION
        || e.code() == KvException.Code.RESOURCE_EXHAUSTED;
  }

  /**
   * What a read saw, as the history records it: the live siblings, the context, the primary
   * replies and, apart, the replies of fallback nodes answering from their hints (sloppy).
   */
  static Completion readCompletion(GetResult g) {
    return Completion.NONE.withValues(strings(g.siblings())).withContext(g.context().toBase64())
        .withAcks(g.replies() - g.sloppyReplies()).withSloppyAcks(g.sloppyReplies());
  }

  static List<String> strings(List<byte[]> values) {
    List<String> out = new ArrayList<>();
    for (byte[] v : values) {
      out.add(new String(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
