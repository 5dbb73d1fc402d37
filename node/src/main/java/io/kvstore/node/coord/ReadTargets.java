package io.kvstore.node.coord;

import io.kvstore.ring.NodeId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Whom one read asks, and for what (digest reads, {@link DigestRead}): at first max(R, PR) of the
 * up primaries, best first, and up fallbacks only in place of primaries that are down; a target
 * that is lost (failed or slow) is replaced first by an up primary not yet asked (speculative
 * retry, as Cassandra's), then by the next up fallback (sloppy quorum, Dynamo 4.6). The other
 * primaries are never asked: anti-entropy reconciles them.
 *
 * <p>Which answer each target gives: the first one (the coordinator itself when it is a replica)
 * the full sibling set, the other primaries a digest; a primary replacing a lost one is asked
 * what the lost one was; a fallback always the full set (it answers from its hints). Each node is
 * asked at most once.
 *
 * <p>Thread safety: {@link #replace} runs under the quorum's lock; {@link #wantsFull} and {@link
 * #launch} from any thread.
 */
final class ReadTargets implements Quorum.Replacements {
  private final Deque<NodeId> unasked; // guarded by the quorum's lock
  private final Deque<NodeId> spares; // guarded by the quorum's lock
  private final Set<NodeId> full = ConcurrentHashMap.newKeySet();
  private final List<NodeId> first;
  private volatile Consumer<NodeId> launcher = node -> {};

  /**
   * @param ranked the up primaries, best first
   * @param spares the up fallbacks, in preference order
   * @param count how many to ask at first: max(R, PR)
   */
  ReadTargets(List<NodeId> ranked, List<NodeId> spares, int count) {
    this.unasked = new ArrayDeque<>(ranked);
    this.spares = new ArrayDeque<>(spares);
    List<NodeId> initial = new ArrayList<>(count);
    while (initial.size() < count && !unasked.isEmpty()) {
      initial.add(unasked.poll());
    }
    while (initial.size() < count && !this.spares.isEmpty()) {
      NodeId fallback = this.spares.poll();
      initial.add(fallback);
      full.add(fallback);
    }
    if (!initial.isEmpty()) {
      full.add(initial.getFirst());
    }
    this.first = List.copyOf(initial);
  }

  /** The targets to ask at once, in order. */
  List<NodeId> first() {
    return first;
  }

  /** Whether {@code node} is asked for the full sibling set (else for its digest). */
  boolean wantsFull(NodeId node) {
    return full.contains(node);
  }

  /** Sends the request to a recruited replacement. Set before use. */
  void onLaunch(Consumer<NodeId> launcher) {
    this.launcher = launcher;
  }

  @Override
  public NodeId replace(NodeId lost) {
    NodeId next = unasked.poll();
    if (next != null) {
      if (full.contains(lost)) {
        full.add(next);
      }
      return next;
    }
    next = spares.poll();
    if (next != null) {
      full.add(next);
    }
    return next;
  }

  @Override
  public void launch(NodeId replacement) {
    launcher.accept(replacement);
  }
}
