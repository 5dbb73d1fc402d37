package io.kvstore.node.config;

import io.kvstore.ring.NodeId;

/** One cluster member as configured: its id and its gRPC address (host:port). Immutable. */
public record MemberConfig(NodeId id, HostPort address) {}
