package io.kvstore.clustertests.history;

import java.util.List;

/**
 * What a completed operation reported, to pass to {@link History#complete}: observed values,
 * context, primary acks/replies, fallback (sloppy) acks/replies, raw siblings with the replica's
 * clock, error. Start from {@link #NONE} and add what applies; see {@link Op} for what each
 * field means per function.
 *
 * <p>Thread safety: immutable value.
 */
public record Completion(
    List<String> values,
    String context,
    int acks,
    boolean sloppy,
    int sloppyAcks,
    List<RawSibling> raw,
    String clock,
    String error) {

  /** Nothing reported; acks unknown. */
  public static final Completion NONE = new Completion(List.of(), null, -1, false, 0, List.of(), null, null);

  public Completion {
    values = values == null ? List.of() : List.copyOf(values);
    raw = raw == null ? List.of() : List.copyOf(raw);
  }

  /** The live sibling values a read observed. */
  public Completion withValues(List<String> v) {
    return new Completion(v, context, acks, sloppy, sloppyAcks, raw, clock, error);
  }

  public Completion withContext(String c) {
    return new Completion(values, c, acks, sloppy, sloppyAcks, raw, clock, error);
  }

  /** Primary acks of a write, or primary replies of a read. */
  public Completion withAcks(int n) {
    return new Completion(values, context, n, sloppy, sloppyAcks, raw, clock, error);
  }

  /** Whether a fallback counted (without saying how many: prefer {@link #withSloppyAcks}). */
  public Completion withSloppy(boolean s) {
    return new Completion(values, context, acks, s, s ? sloppyAcks : 0, raw, clock, error);
  }

  /**
   * How many acks (replies) came from fallback nodes standing in for down primaries; sloppy
   * exactly when {@code n} &gt; 0. {@link #withAcks} takes the primary acks only.
   */
  public Completion withSloppyAcks(int n) {
    return new Completion(values, context, acks, n > 0, n, raw, clock, error);
  }

  /** A replica's raw siblings and its vector clock string (RAW_READ). */
  public Completion withRaw(List<RawSibling> siblings, String vectorClock) {
    return new Completion(values, context, acks, sloppy, sloppyAcks, siblings, vectorClock, error);
  }

  public Completion withError(String e) {
    return new Completion(values, context, acks, sloppy, sloppyAcks, raw, clock, e);
  }
}
