/**
 * Transport security and authentication: the node's TLS credentials ({@link
 * io.kvstore.node.security.Tls}), client bearer tokens ({@link io.kvstore.node.security.Tokens})
 * and the per-service access check ({@link io.kvstore.node.security.Access}). README.md
 * "Security" is the user's view.
 */
package io.kvstore.node.security;
