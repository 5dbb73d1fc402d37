package io.kvstore.node.antientropy;

import io.kvstore.antientropy.KeyDiff;
import io.kvstore.antientropy.KeyHash;
import io.kvstore.antientropy.PartitionTree;
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
 * starts it: compare the trees (roots, then only differing branches and leaves), pause, compare
 * the differing segments again and keep those that still differ (writes in flight are not
 * "repaired"), list both sides' keys of those segments, and sync the keys whose hashes differ:
 * send this node's states, merge what comes back. Both sides end with the merge of the two.
 *
 * <p>The steps call the peer through {@link AePeer} and wait through {@link Waits}, so a test can
 * run two nodes' stores against each other without a network or real time. Not thread safe: one
 * instance per exchange, on the anti-entropy thread.
 */
public final class Exchange {
  /** Segments listed per SegmentKeys call, and states (and their bytes) per Sync call. */
  static final int SEGMENTS_PER_CALL = 64;
  static final int KEYS_PER_SYNC = 256;
  static final long BYTES_PER_SYNC = 4L << 20;

  /** The pauses and rate limits an exchange observes (blocking; on the anti-entropy thread). */
  public interface Waits {
    /** The pause between the two comparisons. */
    void comparePause();

    /** Blocks until the budget allows exchanging {@code keys} states of {@code bytes}. */
    void acquire(long keys, long bytes);
  }

  /** What the exchange did; {@code skipped} counts purgeable tombstones not handed over. */
  public record Result(int segments, long keys, long skipped, long bytesSent, long bytesReceived) {
    static final Result SAME = new Result(0, 0, 0, 0, 0);
  }

  private final int partition;
  private final Trees trees;
  private final ReplicaStore store;
  private final AePeer peer;
  private final PurgePolicy purge;
  private final Waits waits;
  private final long now;
  private long sent;
  private long received;
  private long keys;
  private long skipped;

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

  /** Runs the exchange, given the peer's root (from a batched Roots call). */
  public Result run(long remoteRoot) {
    PartitionTree local = trees.tree(partition);
    RemoteTree remote = remoteTree();
    int[] segments = TreeDiff.differingSegments(local, remote, partition, remoteRoot);
    if (segments.length == 0) {
      return Result.SAME;
    }
    waits.comparePause();
    segments = TreeDiff.stillDiffering(local, remote, partition, segments);
    for (int i = 0; i < segments.length; i += SEGMENTS_PER_CALL) {
      repair(Arrays.copyOfRange(segments, i, Math.min(segments.length, i + SEGMENTS_PER_CALL)));
    }
    return new Result(segments.length, keys, skipped, sent, received);
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
      store.merge(s.key(), AeHandler.decode(s.siblings()));
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
