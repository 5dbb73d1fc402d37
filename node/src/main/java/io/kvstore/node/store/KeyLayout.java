package io.kvstore.node.store;

import io.kvstore.antientropy.KeyHashes;
import io.kvstore.ring.Partitioner;
import java.util.Arrays;

/**
 * How a client key is stored in the engine (FORMAT.md here): behind an 8-byte big-endian prefix,
 * its 64-bit ring hash. The engine orders keys by unsigned bytes, so keys sort by ring position:
 * one partition, and one anti-entropy segment inside it (the next hash bits), is one contiguous
 * range, and rebuilding a tree, listing a segment's keys or streaming a partition are range scans.
 * The prefix does not depend on the partition count or the segment count.
 *
 * <p>Stateless; thread safe.
 */
public final class KeyLayout {
  /** Bytes of the ring-hash prefix. */
  public static final int PREFIX = KeyHashes.PREFIX_BYTES;

  private KeyLayout() {}

  /** The ring hash of a client key (the partitioner's). */
  public static long hash(byte[] key) {
    return Partitioner.hashOf(key);
  }

  /** The engine key of {@code key}, whose ring hash is {@code hash}. */
  public static byte[] storageKey(long hash, byte[] key) {
    byte[] out = java.util.Arrays.copyOf(KeyHashes.prefix(hash), PREFIX + key.length);
    System.arraycopy(key, 0, out, PREFIX, key.length);
    return out;
  }

  /** The client key inside an engine key. */
  public static byte[] userKey(byte[] storageKey) {
    checkLength(storageKey);
    return Arrays.copyOfRange(storageKey, PREFIX, storageKey.length);
  }

  /** The ring hash stored in an engine key's prefix. */
  public static long hashOf(byte[] storageKey) {
    checkLength(storageKey);
    long h = 0;
    for (int i = 0; i < PREFIX; i++) {
      h = (h << 8) | (storageKey[i] & 0xff);
    }
    return h;
  }

  private static void checkLength(byte[] storageKey) {
    if (storageKey.length <= PREFIX) {
      throw new IllegalArgumentException("engine key of " + storageKey.length
          + " bytes has no client key after its " + PREFIX + "-byte hash prefix");
    }
  }
}
