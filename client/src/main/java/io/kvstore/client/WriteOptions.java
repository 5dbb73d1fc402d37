package io.kvstore.client;

/**
 * Per-request write quorum: {@code w} replicas must durably acknowledge, {@code pw} of them
 * primaries ({@code pw == w} gives a strict, non-sloppy quorum). Zero means the cluster default
 * (W = 2, PW = 0 normally); the server refuses values above N with INVALID_ARGUMENT.
 * Immutable.
 */
public record WriteOptions(int w, int pw) {
  /** The cluster defaults. */
  public static final WriteOptions DEFAULT = new WriteOptions(0, 0);

  public WriteOptions {
    if (w < 0 || pw < 0) {
      throw new IllegalArgumentException("w and pw must be >= 0 (0 = cluster default)");
    }
  }

  io.kvstore.proto.WriteOptions toProto() {
    return io.kvstore.proto.WriteOptions.newBuilder().setW(w).setPw(pw).build();
  }
}
