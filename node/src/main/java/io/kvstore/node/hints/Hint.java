package io.kvstore.node.hints;

import io.kvstore.ring.NodeId;
import java.util.Arrays;
import java.util.Objects;

/**
 * One hint: a write accepted on behalf of a down owner, kept until it can be handed off. The
 * sibling set is state (the bytes of {@code SiblingSet.encode()}), not an operation, so replaying a
 * hint is the ordinary replica merge and replaying it twice is harmless (DESIGN.md section 6).
 *
 * <p>Immutable value (the arrays are copied in and out); thread safe.
 *
 * @param key the key, 0 .. {@link HintFormat#MAX_PAYLOAD_SIZE} bytes
 * @param siblings the encoded sibling set, opaque here
 * @param createdMillis wall-clock creation time from the store's {@code Clock}
 * @param coordinator the node that accepted the write and wrote this hint
 */
public record Hint(byte[] key, byte[] siblings, long createdMillis, NodeId coordinator) {
  public Hint {
    key = key.clone();
    siblings = siblings.clone();
    Objects.requireNonNull(coordinator, "coordinator");
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] siblings() {
    return siblings.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hint h
        && Arrays.equals(key, h.key)
        && Arrays.equals(siblings, h.siblings)
        && createdMillis == h.createdMillis
        && coordinator.equals(h.coordinator);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(siblings), createdMillis, coordinator);
  }

  @Override
  public String toString() {
    return "Hint[key="
        + key.length
        + "B, siblings="
        + siblings.length
        + "B, created="
        + createdMillis
        + ", coordinator="
        + coordinator.id()
        + "]";
  }
}
