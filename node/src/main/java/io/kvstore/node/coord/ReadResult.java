package io.kvstore.node.coord;

import io.kvstore.node.versioning.SiblingSet;

/** The merged state of a key over the replicas that answered, and how many answered. */
public record ReadResult(SiblingSet merged, int replies) {}
