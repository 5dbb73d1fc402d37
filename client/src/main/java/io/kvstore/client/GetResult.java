package io.kvstore.client;

import java.util.List;

/**
 * The answer to a read.
 *
 * @param found true when at least one live value exists ({@code siblings} is not empty)
 * @param siblings the live values, in no particular order; several mean concurrent writes that
 *     no write has resolved yet. Empty when the key is missing or deleted. The arrays belong to
 *     the caller.
 * @param deleted true when only tombstones remain (found is then false); tombstones are purged
 *     eventually, after which a deleted key reads as missing
 * @param context the causal context of what was read, for the next put or delete of the key;
 *     {@link Context#EMPTY} when the key is missing
 * @param replies how many replicas answered
 * @param sloppyReplies how many of those were fallback nodes answering from their hints for a
 *     primary replica that was down (sloppy quorum); 0 when every reply was a primary's
 */
public record GetResult(boolean found, List<byte[]> siblings, boolean deleted, Context context,
    int replies, int sloppyReplies) {
  public GetResult {
    siblings = List.copyOf(siblings);
  }
}
