/**
 * The node's gossip layer: {@link io.kvstore.node.gossip.GossipDriver} runs the deterministic
 * core of the {@code gossip} module on one thread and publishes its verdicts as
 * {@link io.kvstore.node.cluster.Liveness}; {@link io.kvstore.node.gossip.GrpcGossipTransport}
 * carries its Ping and Gossip requests over the Replica service (replica.proto), on the same
 * peer channels as replica traffic.
 */
package io.kvstore.node.gossip;
