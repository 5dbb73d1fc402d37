package io.kvstore.client;

/**
 * The answer to a write.
 *
 * @param context the causal context of the version just written: writing the key again with it
 *     supersedes this write without another read
 * @param acks how many replicas durably acknowledged the write
 */
public record PutResult(Context context, int acks) {}
