package io.kvstore.node.hints;

import io.kvstore.ring.NodeId;

/**
 * What the store holds for one target: hints and bytes in the segments still on disk (delivered
 * ones included until their segment is deleted) and the oldest creation time among them ({@code
 * Long.MAX_VALUE} if none).
 *
 * <p>Immutable value; thread safe.
 */
public record HintStats(NodeId target, long hints, long bytes, long oldestCreatedMillis) {}
