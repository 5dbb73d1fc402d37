package io.kvstore.node.hints;

import io.kvstore.node.NodeError;
import io.kvstore.node.time.Clock;
import io.kvstore.node.versioning.MalformedVersionException;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.ring.NodeId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as a fallback of sloppy quorum (DESIGN.md sections 4 and 6): it accepts writes meant
 * for a primary replica that is down into the {@link HintStore} (never into its own data) and
 * answers reads from the {@link HintIndex} of what it holds, so a hinted write is seen while its
 * owner is down.
 *
 * <p>Thread safe.
 */
public final class Fallback {
  private static final Logger LOG = LoggerFactory.getLogger(Fallback.class);

  private final NodeId self;
  private final HintStore store;
  private final HintIndex index;
  private final Predicate<NodeId> isMember;
  private final Clock clock;
  private final long windowMillis;

  /**
   * @param isMember whether a node id names a member of the cluster (a hint target must)
   * @param windowMillis the hint window: reads leave out hints older than it
   */
  public Fallback(NodeId self, HintStore store, HintIndex index, Predicate<NodeId> isMember,
      Clock clock, long windowMillis) {
    this.self = self;
    this.store = store;
    this.index = index;
    this.isMember = isMember;
    this.clock = clock;
    this.windowMillis = windowMillis;
  }

  /**
   * Stores {@code state} as a hint for {@code owner}. Completes, once the hint is fsynced, with
   * every undelivered hint for the key merged (what a read of this fallback would answer).
   *
   * @throws NodeError INVALID_ARGUMENT if {@code owner} is not a member; the future fails with
   *     UNAVAILABLE if the hint store cannot take it (nothing was acknowledged then)
   */
  public CompletableFuture<SiblingSet> accept(NodeId owner, byte[] key, SiblingSet state,
      NodeId coordinator) {
    if (!isMember.test(owner)) {
      throw NodeError.invalid("hinted_for names " + owner.id() + ", which is not a member of "
          + "the cluster");
    }
    CompletableFuture<Void> durable;
    try {
      durable = store.append(owner, key, state.encode(), coordinator);
    } catch (RuntimeException e) {
      durable = CompletableFuture.failedFuture(e);
    }
    return durable.handle((v, e) -> {
      if (e != null) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        LOG.warn("event=hint_append_failed node={} target={} error=\"{}\"", self.id(),
            owner.id(), cause.toString());
        throw NodeError.unavailable("this node cannot store a hint for " + owner.id() + ": "
            + cause.getMessage());
      }
      index.add(owner, key, state, clock.currentTimeMillis());
      return read(key).orElse(state);
    });
  }

  /**
   * The merge of the undelivered hints for {@code key} inside the hint window, if any are
   * indexed.
   */
  public Optional<SiblingSet> read(byte[] key) {
    return index.get(key, clock.currentTimeMillis() - windowMillis);
  }

  /**
   * Rebuilds the index from the hint store (at start): every hint after each target's checkpoint
   * and younger than {@code expireBeforeMillis}. Problems the readers meet are counted by the
   * store; they are the handoff manager's to report.
   *
   * @return how many hints were indexed
   */
  public long rebuild(long expireBeforeMillis) {
    long n = 0;
    for (NodeId target : store.targets()) {
      try (HintReader r = store.reader(target, expireBeforeMillis)) {
        for (HintRecord rec = r.next(); rec != null; rec = r.next()) {
          try {
            index.add(target, rec.hint().key(), SiblingSet.decode(rec.hint().siblings()),
                rec.hint().createdMillis());
            n++;
          } catch (MalformedVersionException e) {
            LOG.warn("event=hint_undecodable node={} target={} file={} offset={} error=\"{}\"",
                self.id(), target.id(), rec.file(), rec.position().offset(), e.getMessage());
          }
        }
      }
    }
    return n;
  }

  public HintIndex index() {
    return index;
  }
}
