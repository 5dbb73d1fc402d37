package io.kvstore.node.coord;

import io.kvstore.node.versioning.Value;
import io.kvstore.node.versioning.VersionVector;

/**
 * A validated client write: a value or a tombstone, the causal context the client read (empty:
 * blind write), and the quorum it needs. {@code w} and {@code pw} are already resolved against the
 * defaults (1 <= w <= n, 0 <= pw <= n). Immutable.
 */
public record WriteRequest(byte[] key, Value value, VersionVector context, int w, int pw) {}
