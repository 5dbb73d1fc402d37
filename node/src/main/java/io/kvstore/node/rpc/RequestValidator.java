package io.kvstore.node.rpc;

import io.kvstore.node.NodeError;
import io.kvstore.node.coord.WriteRequest;
import io.kvstore.node.versioning.CausalContext;
import io.kvstore.node.versioning.MalformedVersionException;
import io.kvstore.node.versioning.Value;
import io.kvstore.proto.WriteOptions;
import com.google.protobuf.ByteString;

/**
 * Turns wire requests into validated domain requests, or rejects them with INVALID_ARGUMENT
 * naming the problem, before anything is written (DESIGN.md section 2). Immutable.
 */
public record RequestValidator(int n, int r, int w, int maxKeyBytes, int maxValueBytes) {

  public byte[] key(ByteString key) {
    if (key.isEmpty()) {
      throw NodeError.invalid("key must not be empty");
    }
    if (key.size() > maxKeyBytes) {
      throw NodeError.invalid(
          "key is " + key.size() + " bytes; the limit is " + maxKeyBytes + " bytes");
    }
    return key.toByteArray();
  }

  public WriteRequest write(ByteString key, Value value, ByteString context, WriteOptions o,
      boolean needsContext) {
    byte[] k = key(key);
    if (value.length() > maxValueBytes) {
      throw NodeError.invalid(
          "value is " + value.length() + " bytes; the limit is " + maxValueBytes + " bytes");
    }
    CausalContext ctx = context(context);
    if (needsContext && ctx.isEmpty()) {
      throw NodeError.invalid(
          "delete needs the context of a read (a delete without one would supersede nothing)");
    }
    int wq = quorum("w", o.getW(), w);
    int pw = o.getPw() == 0 ? 0 : quorum("pw", o.getPw(), 0);
    return new WriteRequest(k, value, ctx.vector(), wq, pw);
  }

  public CausalContext context(ByteString context) {
    try {
      return CausalContext.decode(context.toByteArray());
    } catch (MalformedVersionException e) {
      throw NodeError.invalid("malformed context: " + e.getMessage());
    }
  }

  /** A quorum size: 0 means the default; otherwise it must be within 1..N. */
  public int quorum(String name, int requested, int dflt) {
    if (requested == 0) {
      return dflt;
    }
    if (requested < 0 || requested > n) {
      throw NodeError.invalid(name + " must be between 1 and N=" + n + ", got "
          + Integer.toUnsignedString(requested));
    }
    return requested;
  }
}
