package io.kvstore.node.security;

/** Who made a call: a peer node (by its certificate) or a client (by its token's name). */
public record Principal(String name, Role role) {}
