package io.kvstore.node.antientropy;

import io.kvstore.antientropy.KeyHash;
import java.util.List;

/**
 * The other side of an exchange, as the exchange sees it: one co-replica's trees, key listings
 * and sync step (proto kvstore.v1.AntiEntropy). {@link AeHandler} is the local implementation
 * that serves it; the gRPC client carries it over the network, and tests connect two nodes'
 * handlers directly.
 *
 * <p>Calls may throw {@link io.kvstore.node.NodeError} (peer unreachable, refused, deadline);
 * implementations are thread safe.
 */
public interface AePeer {
  /** Roots of the given partitions, and which of the peer's trees are built. */
  record Roots(long[] roots, boolean[] built) {}

  /** A key and its encoded sibling set; {@code siblings} null = none held. */
  record KeyState(byte[] key, byte[] siblings) {
    public long bytes() {
      return key.length + (siblings == null ? 0 : siblings.length);
    }
  }

  Roots roots(int[] partitions);

  long[] branches(int partition);

  long[] leaves(int partition, int[] branches);

  List<KeyHash> segmentKeys(int partition, int[] segments);

  /**
   * Merges the given states into the peer's store and returns the peer's state of each listed
   * key whose merged state differs from what was sent (AntiEntropy.Sync).
   */
  List<KeyState> sync(int partition, List<KeyState> states);
}
