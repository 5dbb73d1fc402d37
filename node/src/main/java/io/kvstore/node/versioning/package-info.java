/**
 * Causality for kvstore's values: dotted version vector sets, exactly as VERSIONING.md specifies
 * (Almeida, Baquero, Gonçalves, Preguiça, Fonte, 2014).
 *
 * <ul>
 *   <li>{@link io.kvstore.node.versioning.Actor}: (node id, incarnation), the writer identity;
 *       {@link io.kvstore.node.versioning.IncarnationStore} makes a new one at every start.
 *   <li>{@link io.kvstore.node.versioning.Dot}: one write event (actor, counter).
 *   <li>{@link io.kvstore.node.versioning.VersionVector}: actor -> counter, with {@code
 *       compare()} answering {@link io.kvstore.node.versioning.Occurred} BEFORE / AFTER / EQUAL /
 *       CONCURRENT.
 *   <li>{@link io.kvstore.node.versioning.SiblingSet}: the state of one key on one replica,
 *       with the coordinated write {@code put} and the merge {@code sync}; its siblings are
 *       {@link io.kvstore.node.versioning.Sibling}s holding a {@link
 *       io.kvstore.node.versioning.Value} (bytes or tombstone).
 *   <li>{@link io.kvstore.node.versioning.Digest}: the 16-byte hash of a sibling set's canonical
 *       encoding that replicas answer digest reads with.
 *   <li>{@link io.kvstore.node.versioning.CausalContext}: the opaque client context.
 *   <li>{@link io.kvstore.node.versioning.MalformedVersionException}: what every decoder throws.
 * </ul>
 *
 * <p>Everything here is an immutable value or stateless, with no I/O except {@code
 * IncarnationStore} (through the lsm {@code Env}). Byte layouts: FORMAT.md in this directory.
 */
package io.kvstore.node.versioning;
