package io.kvstore.gossip;

/**
 * Running totals of one {@link GossipCore} since it was created, for metrics.
 *
 * <p>An immutable value, thread-safe.
 *
 * @param convictions peers convicted by their detectors (graceful shutdowns not included)
 * @param pingsSent pings handed to the caller to send
 * @param acksReceived ping acks handed back by the caller, including ignored stale ones
 * @param synsSent gossip exchanges started
 * @param synsReceived gossip exchanges answered
 */
public record GossipCounters(
    long convictions, long pingsSent, long acksReceived, long synsSent, long synsReceived) {}
