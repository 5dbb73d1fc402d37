package io.kvstore.node.antientropy;

import io.kvstore.antientropy.KeyDiff;
import io.kvstore.antientropy.KeyHash;
import io.kvstore.antientropy.RemoteTree;
import io.kvstore.antientropy.TreeDiff;
import io.kvstore.node.NodeError;
import io.kvstore.node.store.KeyLayout;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.versioning.SiblingSet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One exchange of one partition with one co-replica (DESIGN.md section 7), run by the node that
 * starts it. {@link #compare} compares the trees (roots, then only differing branches and
 * leaves); the caller pauses once for all the exchanges of its round (riak's tictac exchange
 * compares twice with a pause, so writes in flight are not "repaired"); {@link #finish} compares
 * the differing segments again and keeps those that still differ, lists both sides' keys of
 * those segments, and syncs the keys whose hashes differ: it sends this node's states and merges
 * what comes back. Both sides end with the merge of the two.
 *
 * <p>The steps call the peer through {@link AePeer} and take rate budget through {@link Waits},
 * so a test can run two nodes' stores against each other without a network or real time. Not
 * thread safe: one instance per exchange, on the anti-entropy thread.
 */
public final class Exchange {
  /** Segments listed per SegmentKeys call, and states (and their bytes) per Sync call. */
  static final int SEGMENTS_PER_CALL = 64;
  static final int KEYS_PER_SYNC = 256;
  static final long BYTES_PER_SYNC = 4L << 20;

  /** The rate limits an exchange observes (blocking; on the anti-entropy thread). */
  public interface Waits {
    Waits NONE = (keys, bytes) -> {};

    /** Blocks until the budget allows exchanging {@code keys} states of {@code bytes}. */
    void acquire(long keys, long bytes);
  }

  /**
   * What the exchange did; {@code skipped} counts purgeable tombstones not handed over. Bytes are
   * the payload: hashes, key listings and sibling sets, and the partition's share of the batched
   * roots call (gRPC and HTTP/2 framing excluded).
   */
  public record Result(int segments, long keys, long skipped, long bytesSent, long bytesReceived) {
    /** Nothing differed: only the root was compared. */
    public boolean same() {
      return keys == 0 && segments == 0;
    }
  }

  /** The partition id in the roots request, the root and its built flag in the answer. */
  static final int ROOT_SENT = 4;
  static final int ROOT_RECEIVED = 9;

  private final int partition;
  private final Trees trees;
  private final ReplicaStore store;
  private final AePeer peer;
  private final PurgePolicy purge;
  private final Waits waits;
  private final long now;
  private long sent = ROOT_SENT;
  private long received = ROOT_RECEIVED;
  private long keys;
  private long skipped;
  private int[] candidates = new int[0];

  public Exchange(int partition, Trees trees, ReplicaStore store, AePeer peer, PurgePolicy purge,
      Waits waits, long nowMillis) {
    this.partition = partition;
    this.trees = trees;
    this.store = store;
    this.peer = peer;
    this.purge = purge;
    this.waits = waits;
    this.now = nowMillis;
  }

  /**
   * The first comparison, given the peer's root (from a batched Roots call): returns whether any
   * segment differs, in which case the caller pauses and then calls {@link #finish}.
   */
  public boolean compare(long remoteRoot) {
    candidates = TreeDiff.differingSegments(trees.tree(partition), remoteTree(), partition,
        remoteRoot);
    return candidates.length > 0;
  }

  /** The second comparison of the differing segments and the repair of those that still differ. */
  public Result finish() {
    int[] segments = candidates.length == 0 ? candidates
        : TreeDiff.stillDiffering(trees.tree(partition), remoteTree(), partition, candidates);
    for (int i = 0; i < segments.length; i += SEGMENTS_PER_CALL) {
      repair(Arrays.copyOfRange(segments, i, Math.min(segments.length, i + SEGMENTS_PER_CALL)));
    }
    return new Result(segments.length, keys, skipped, sent, received);
  }

  /** Both comparisons without a pause, then the repair (tests, and a round of one exchange). */
  Result run(long remoteRoot) {
    compare(remoteRoot);
    return finish();
  }

  private void repair(int[] segments) {
    List<KeyHash> theirs = peer.segmentKeys(partition, segments);
    received += listingBytes(theirs);
    List<KeyHash> mine = AeHandler.list(trees, store, partition, segments);
    sent += listingBytes(mine);
    Set<ByteBuffer> theyHold = new HashSet<>();
    theirs.forEach(k -> theyHold.add(ByteBuffer.wrap(k.key())));
    List<AePeer.KeyState> batch = new ArrayList<>();
    long batchBytes = 0;
    for (byte[] key : KeyDiff.differingKeys(mine, theirs)) {
      Optional<SiblingSet> state = store.read(key);
      if (state.isPresent() && !theyHold.contains(ByteBuffer.wrap(key))
          && purge.purgeable(partition, state.get(), now)) {
        skipped++; // they lack it and it is purgeable here: purge, do not copy back
        continue;
      }
      AePeer.KeyState s = new AePeer.KeyState(key, state.map(SiblingSet::encode).orElse(null));
      batch.add(s);
      batchBytes += s.bytes();
      if (batch.size() == KEYS_PER_SYNC || batchBytes >= BYTES_PER_SYNC) {
        sync(batch);
        batch.clear();
        batchBytes = 0;
      }
    }
    if (!batch.isEmpty()) {
      sync(batch);
    }
  }

  private void sync(List<AePeer.KeyState> batch) {
    long bytes = batch.stream().mapToLong(AePeer.KeyState::bytes).sum();
    waits.acquire(batch.size(), bytes);
    sent += bytes;
    keys += batch.size();
    for (AePeer.KeyState s : peer.sync(partition, batch)) {
      received += s.bytes();
      if (trees.partitionOf(KeyLayout.hash(s.key())) != partition || s.siblings() == null) {
        throw NodeError.internal("peer answered a sync of partition " + partition
            + " with a key outside it or without a state");
      }
      AeHandler.merge(store, purge, partition, s.key(), AeHandler.decode(s.siblings()), now);
    }
  }

  private RemoteTree remoteTree() {
    return new RemoteTree() {
      @Override
      public long[] roots(int[] partitions) {
        received += 8L * partitions.length;
        return peer.roots(partitions).roots();
      }

      @Override
      public long[] branches(int p) {
        long[] b = peer.branches(p);
        received += 8L * b.length;
        return b;
      }

      @Override
      public long[] leaves(int p, int[] branches) {
        long[] l = peer.leaves(p, branches);
        received += 8L * l.length;
        return l;
      }
    };
  }

  private static long listingBytes(List<KeyHash> keys) {
    long n = 0;
    for (KeyHash k : keys) {
      n += k.key().length + 8;
    }
    return n;
  }
}
