package io.kvstore.node.coord;

import io.kvstore.node.versioning.Digest;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.ring.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One digest read (Cassandra's digest reads, with Dynamo's merge): turns the answers of the
 * targets {@link ReadTargets} picks into known states for a {@link Quorum}. A full answer is a
 * known state at once. A digest is one when it equals the digest of a full answer or of the
 * merge of the full answers so far: the replica then holds exactly that state. A digest that
 * equals none of them is followed by a full read of that replica (the second round trip), whose
 * answer then counts; its failure is the target's failure, so the quorum replaces it as it would
 * any lost target. A digest that arrives before any full answer waits for the first one.
 *
 * <p>So the quorum counts only replies whose state is known, its successes are what the answer
 * merges and what read repair compares, and a read whose digests all match takes one round trip.
 *
 * <p>Thread safe: the fields are guarded by this; the quorum and the network are called outside
 * the lock.
 */
final class DigestRead {
  private final Quorum<SiblingSet, ?> quorum;
  private final ReadTargets targets;
  private final Function<NodeId, CompletableFuture<SiblingSet>> fullRead;
  private final Function<NodeId, CompletableFuture<Digest>> digestRead;
  private final Runnable onMismatch;
  private final List<SiblingSet> fulls = new ArrayList<>();
  private SiblingSet merged; // of the full answers; null before the first
  private final Map<Digest, SiblingSet> known = new HashMap<>();
  private int hashed; // how many of fulls are in known
  private final Map<NodeId, Digest> waiting = new LinkedHashMap<>();

  /**
   * @param fullRead asks a node for its full sibling set (the empty set when it has none)
   * @param digestRead asks a node for the digest of that set
   * @param onMismatch runs for each digest that matched nothing (before its full read)
   */
  DigestRead(Quorum<SiblingSet, ?> quorum, ReadTargets targets,
      Function<NodeId, CompletableFuture<SiblingSet>> fullRead,
      Function<NodeId, CompletableFuture<Digest>> digestRead, Runnable onMismatch) {
    this.quorum = quorum;
    this.targets = targets;
    this.fullRead = fullRead;
    this.digestRead = digestRead;
    this.onMismatch = onMismatch;
  }

  /** Asks {@code node} for what {@link ReadTargets#wantsFull} says. */
  void ask(NodeId node) {
    if (targets.wantsFull(node)) {
      askFull(node);
    } else {
      digestRead.apply(node).whenComplete((d, e) -> {
        if (e == null) {
          onDigest(node, d);
        } else {
          quorum.failure(node, e);
        }
      });
    }
  }

  private void askFull(NodeId node) {
    fullRead.apply(node).whenComplete((s, e) -> {
      if (e == null) {
        onFull(node, s);
      } else {
        quorum.failure(node, e);
      }
    });
  }

  private void onFull(NodeId from, SiblingSet state) {
    Map<NodeId, SiblingSet> matched = new LinkedHashMap<>();
    List<NodeId> differing = new ArrayList<>();
    synchronized (this) {
      fulls.add(state);
      merged = merged == null ? state : SiblingSet.sync(merged, state);
      waiting.forEach((node, digest) -> {
        SiblingSet s = knownState(digest);
        if (s == null) {
          differing.add(node);
        } else {
          matched.put(node, s);
        }
      });
      waiting.clear();
    }
    quorum.success(from, state);
    matched.forEach(quorum::success);
    differing.forEach(this::mismatched);
  }

  private void onDigest(NodeId from, Digest digest) {
    SiblingSet state;
    synchronized (this) {
      if (merged == null) {
        waiting.put(from, digest);
        return;
      }
      state = knownState(digest);
    }
    if (state == null) {
      mismatched(from);
    } else {
      quorum.success(from, state);
    }
  }

  /** {@code node}'s digest matched no known state: ask it for its full state. */
  private void mismatched(NodeId node) {
    onMismatch.run();
    askFull(node);
  }

  /** The full answer or merge whose digest is {@code digest}, or null. Hashes lazily. */
  private SiblingSet knownState(Digest digest) {
    for (; hashed < fulls.size(); hashed++) {
      remember(fulls.get(hashed));
    }
    remember(merged);
    return known.get(digest);
  }

  private void remember(SiblingSet state) {
    if (!known.containsValue(state)) {
      known.put(Digest.of(state), state);
    }
  }
}
