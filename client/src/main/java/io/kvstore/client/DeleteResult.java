package io.kvstore.client;

/**
 * The answer to a delete.
 *
 * @param acks how many replicas durably acknowledged the tombstone
 */
public record DeleteResult(int acks) {}
