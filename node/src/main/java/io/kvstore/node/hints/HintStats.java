package io.kvstore.node.hints;

import io.kvstore.ring.NodeId;

/**
 * What the store holds undelivered for one target: the durable hints at or after its checkpoint,
 * the bytes of their records (header and payload) and the oldest creation time among them ({@code
 * Long.MAX_VALUE} if none). Hints past the hint window count until they are dropped or a reader
 * skips them and the checkpoint passes them.
 *
 * <p>Immutable value; thread safe.
 */
public record HintStats(NodeId target, long hints, long bytes, long oldestCreatedMillis) {}
