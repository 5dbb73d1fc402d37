package io.kvstore.clustertests.history;

import java.util.List;
import java.util.Locale;

/**
 * One line of a history: the invocation or the completion of one client operation. Every
 * operation is recorded twice, first as {@link Type#INVOKE} and then as {@link Type#OK}, {@link
 * Type#FAIL} or {@link Type#INFO}, by the same process; the completion is the next op of that
 * process (a process runs one operation at a time).
 *
 * <p>Field use by function (absent fields are null, empty lists, -1 or false):
 *
 * <ul>
 *   <li>{@code value}: on the invocation of a write, what is written: for {@link F#ADD} the
 *       single element added (an int as text, see {@link SetCodec}); for {@link F#WRITE} the
 *       register value; null for {@link F#DELETE} and reads. Completions repeat it.
 *   <li>{@code values}: on a read's completion, the live sibling values observed (for set keys,
 *       each is an encoded set; the observed set is their union).
 *   <li>{@code context}: on a write's invocation, the context it was written with (base64, null
 *       for a blind write); on a read's completion, the returned context; on a write's OK, the
 *       response context.
 *   <li>{@code acks}: on a write's OK, the number of primary replicas that acknowledged it (the
 *       response's acks minus its sloppy acks); on a read's OK, the number of primary replies.
 *       -1 when unknown. {@code sloppyAcks}: how many further acks (replies) came from fallback
 *       nodes standing in for a down primary (sloppy quorum: a hinted write, or a read answered
 *       from hints), so {@code acks + sloppyAcks} is every ack; 0 when none or unknown. {@code
 *       sloppy} is true when a fallback counted towards the quorum ({@code sloppyAcks} &gt; 0;
 *       a synthetic or hand-written history may set it without a count).
 *   <li>{@code raw} and {@code clock}: on a {@link F#RAW_READ}'s OK, the replica's local
 *       siblings (tombstones included) with their dots, and its vector clock string, e.g. "{n1.3=7,
 *       n2.1=4}". {@code node} is then the replica read.
 *   <li>{@code node} and {@code client}: the node a {@link ClientKind#PINNED} client sent the
 *       operation to; an {@link ClientKind#ALL_NODES} client names no node (its library chose).
 *   <li>{@code error}: why an operation failed or is indeterminate.
 * </ul>
 *
 * <p>Thread safety: immutable value. Invariants: index &gt;= 0, time &gt;= 0, lists non-null
 * and unmodifiable, sloppyAcks &gt;= 0 and &gt; 0 only when sloppy.
 */
public record Op(
    long index,
    int process,
    Type type,
    F f,
    String key,
    String value,
    List<String> values,
    long time,
    String node,
    ClientKind client,
    String context,
    int acks,
    boolean sloppy,
    int sloppyAcks,
    List<RawSibling> raw,
    String clock,
    String error) {

  /** Whether this line is an invocation or how the operation ended. */
  public enum Type {
    INVOKE,
    /** Definitely applied (for a write: acknowledged). */
    OK,
    /** Definitely not applied. */
    FAIL,
    /** Unknown: timeout, lost connection. The process is retired afterwards. */
    INFO;

    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Type fromJson(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  /** The operation's function. */
  public enum F {
    /** A client read (get) at the workload's read quorum. */
    READ,
    /** Set-add: read, union of siblings + element, put with the context. */
    ADD,
    /** Register write. */
    WRITE,
    /** Delete with a context (a tombstone). */
    DELETE,
    /** A read at R = N after heal, from one node. */
    FINAL_READ,
    /** Admin.GetLocalVersions of one replica: its raw local state. */
    RAW_READ;

    public String jsonName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static F fromJson(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** ADD, WRITE or DELETE. */
    public boolean isWrite() {
      return this == ADD || this == WRITE || this == DELETE;
    }

    /** READ, FINAL_READ or RAW_READ. */
    public boolean isRead() {
      return !isWrite();
    }
  }

  public Op {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
    if (time < 0) {
      throw new IllegalArgumentException("time must be >= 0, got " + time);
    }
    if (type == null || f == null || key == null || client == null) {
      throw new IllegalArgumentException("type, f, key and client are required");
    }
    if (sloppyAcks < 0 || (sloppyAcks > 0 && !sloppy)) {
      throw new IllegalArgumentException("sloppyAcks must be >= 0, and > 0 only when sloppy; got "
          + sloppyAcks + (sloppy ? "" : " on an op that is not sloppy"));
    }
    values = values == null ? List.of() : List.copyOf(values);
    raw = raw == null ? List.of() : List.copyOf(raw);
  }

  public boolean isInvoke() {
    return type == Type.INVOKE;
  }

  public boolean isOk() {
    return type == Type.OK;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append('#').append(index).append(" p").append(process).append(' ').append(type.jsonName())
        .append(' ').append(f.jsonName()).append(' ').append(key);
    if (value != null) {
      b.append(" value=").append(value);
    }
    if (!values.isEmpty() || (f.isRead() && type == Type.OK)) {
      b.append(" values=").append(values);
    }
    if (!raw.isEmpty()) {
      b.append(" raw=").append(raw);
    }
    if (clock != null) {
      b.append(" clock=").append(clock);
    }
    if (node != null) {
      b.append(" @").append(node);
    }
    if (client != ClientKind.PINNED) {
      b.append(" via ").append(client.jsonName());
    }
    b.append(" t=").append(time / 1_000_000).append("ms");
    if (error != null) {
      b.append(" error=").append(error);
    }
    return b.toString();
  }
}
