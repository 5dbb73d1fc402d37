package io.kvstore.node.coord;

import io.kvstore.ring.NodeId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Sloppy quorum for one write (DESIGN.md section 4): each lost primary replica (down, failed or
 * slow) is replaced by the next up fallback of the preference list, which stands in for that
 * primary (its owner, whom the hint is for); a lost fallback is replaced by the next one for the
 * same owner. The coordinator itself is never replaced. Each fallback is used once. (A read
 * recruits through {@link ReadTargets}: primaries not yet asked first.)
 *
 * <p>{@link #replace} runs under the quorum's lock, {@link #launch} outside it, possibly on
 * another thread.
 */
final class Fallbacks implements Quorum.Replacements {
  private final NodeId self;
  private final Set<NodeId> primaries;
  private final Deque<NodeId> spares; // guarded by the quorum's lock
  private final Map<NodeId, NodeId> ownerOf = new ConcurrentHashMap<>();
  private volatile BiConsumer<NodeId, NodeId> launcher = (fallback, owner) -> {};

  Fallbacks(NodeId self, Set<NodeId> primaries, List<NodeId> spares) {
    this.self = self;
    this.primaries = Set.copyOf(primaries);
    this.spares = new ArrayDeque<>(spares);
  }

  /** Sends the request to a recruited fallback: {@code (fallback, owner)}. Set before use. */
  void onLaunch(BiConsumer<NodeId, NodeId> launcher) {
    this.launcher = launcher;
  }

  @Override
  public NodeId replace(NodeId lost) {
    if (lost.equals(self)) {
      return null;
    }
    NodeId owner = primaries.contains(lost) ? lost : ownerOf.get(lost);
    NodeId fallback = owner == null ? null : spares.poll();
    if (fallback != null) {
      ownerOf.put(fallback, owner);
    }
    return fallback;
  }

  @Override
  public void launch(NodeId fallback) {
    launcher.accept(fallback, ownerOf.get(fallback));
  }
}
