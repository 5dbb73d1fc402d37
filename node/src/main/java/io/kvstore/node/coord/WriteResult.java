package io.kvstore.node.coord;

/**
 * The outcome of an acknowledged write: how many replicas acknowledged it durably, how many of the
 * W acks it needed came from fallbacks (sloppy quorum; 0 = W primaries acked), and the causal
 * context of the new version (empty when the coordinator held concurrent siblings, so that a
 * follow-up write cannot supersede values the client never saw). Immutable.
 */
public record WriteResult(byte[] context, int acks, int sloppyAcks) {}
