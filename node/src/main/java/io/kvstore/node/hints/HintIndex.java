package io.kvstore.node.hints;

import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.ring.NodeId;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The undelivered hints of a fallback node by key, in memory, so that a sloppy read (DESIGN.md
 * section 4) sees a hinted write while its owner is down. Per key and target it holds the merge
 * of the sibling sets hinted for that target; the hint store stays the durable record, and this
 * index is rebuilt from it at start.
 *
 * <p>Bounded: past {@code maxBytes} (encoded sibling sets plus keys) new keys are not indexed,
 * only counted ({@link #overflow}); their hints are still stored and handed off, a read just does
 * not see them on the fallback. An entry leaves when its hint was delivered ({@link #delivered})
 * or its target has nothing left to deliver ({@link #drained}); a hint appended for the same key
 * between the two may drop out early, which only makes a sloppy read staler, never wrong (sibling
 * sets merge by clock).
 *
 * <p>Thread safe: reads are lock free, updates synchronized.
 */
public final class HintIndex {
  private static final int ENTRY_OVERHEAD = 64;

  /**
   * One target's merged hints for a key, with the bytes they are counted as and when the oldest
   * of them was written.
   */
  private record Held(SiblingSet state, long bytes, long oldestMillis) {}

  private final long maxBytes;
  private final ConcurrentHashMap<ByteBuffer, Map<NodeId, Held>> byKey =
      new ConcurrentHashMap<>();
  private final Map<NodeId, Set<ByteBuffer>> byTarget = new HashMap<>(); // guarded by this
  private long bytes; // guarded by this
  private long overflow; // guarded by this

  public HintIndex(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Records a hint for {@code target} written at {@code createdMillis}: its sibling set merges
   * into what the key holds.
   */
  public synchronized void add(NodeId target, byte[] key, SiblingSet state, long createdMillis) {
    ByteBuffer k = ByteBuffer.wrap(key.clone());
    Map<NodeId, Held> entry = byKey.get(k);
    Held old = entry == null ? null : entry.get(target);
    SiblingSet merged = old == null ? state : SiblingSet.sync(old.state(), state);
    Held now = new Held(merged, key.length + merged.encode().length + ENTRY_OVERHEAD,
        old == null ? createdMillis : Math.min(old.oldestMillis(), createdMillis));
    long delta = now.bytes() - (old == null ? 0 : old.bytes());
    if (old == null && bytes + delta > maxBytes) {
      overflow++;
      return;
    }
    Map<NodeId, Held> next = entry == null ? new HashMap<>() : new HashMap<>(entry);
    next.put(target, now);
    byKey.put(k, Map.copyOf(next));
    byTarget.computeIfAbsent(target, t -> new HashSet<>()).add(k);
    bytes += delta;
  }

  /** The merge of every indexed hint for {@code key}, over all targets; empty if none. */
  public Optional<SiblingSet> get(byte[] key) {
    return get(key, Long.MIN_VALUE);
  }

  /**
   * As {@link #get(byte[])}, leaving out a target's entry that holds a hint written before {@code
   * notBeforeMillis} (past the hint window: it may predate a purged tombstone, and its expiry
   * only waits for the next sweep).
   */
  public Optional<SiblingSet> get(byte[] key, long notBeforeMillis) {
    if (byKey.isEmpty()) {
      return Optional.empty();
    }
    Map<NodeId, Held> entry = byKey.get(ByteBuffer.wrap(key));
    if (entry == null) {
      return Optional.empty();
    }
    SiblingSet merged = null;
    for (Held h : entry.values()) {
      if (h.oldestMillis() >= notBeforeMillis) {
        merged = merged == null ? h.state() : SiblingSet.sync(merged, h.state());
      }
    }
    return Optional.ofNullable(merged);
  }

  /** The hint for {@code key} reached {@code target}: the fallback no longer answers for it. */
  public synchronized void delivered(NodeId target, byte[] key) {
    ByteBuffer k = ByteBuffer.wrap(key);
    remove(target, k);
    Set<ByteBuffer> keys = byTarget.get(target);
    if (keys != null) {
      keys.remove(k);
    }
  }

  /** {@code target} has no undelivered hints left: forget all of its entries. */
  public synchronized void drained(NodeId target) {
    Set<ByteBuffer> keys = byTarget.remove(target);
    if (keys != null) {
      keys.forEach(k -> remove(target, k));
    }
  }

  private void remove(NodeId target, ByteBuffer k) {
    Map<NodeId, Held> entry = byKey.get(k);
    if (entry == null || !entry.containsKey(target)) {
      return;
    }
    bytes -= entry.get(target).bytes();
    Map<NodeId, Held> next = new HashMap<>(entry);
    next.remove(target);
    if (next.isEmpty()) {
      byKey.remove(k);
    } else {
      byKey.put(k, Map.copyOf(next));
    }
  }

  /** Keys indexed. */
  public int keys() {
    return byKey.size();
  }

  /** Bytes held (estimated: encoded sibling sets, keys and a fixed overhead per entry). */
  public synchronized long bytes() {
    return bytes;
  }

  /** Hinted keys not indexed because the index was full. */
  public synchronized long overflow() {
    return overflow;
  }
}
