package io.kvstore.node.coord;

import io.kvstore.node.versioning.SiblingSet;

/**
 * The merged state of a key over the nodes that answered, how many answered, and how many of the
 * R replies it needed came from fallbacks (sloppy quorum; 0 = R primaries answered).
 */
public record ReadResult(SiblingSet merged, int replies, int sloppyReplies) {}
