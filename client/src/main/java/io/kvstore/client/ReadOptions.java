package io.kvstore.client;

/**
 * Per-request read quorum: {@code r} replicas must answer, {@code pr} of them primaries. Zero
 * means the cluster default (R = 2, PR = 0 normally); the server refuses values above N with
 * INVALID_ARGUMENT. Immutable.
 */
public record ReadOptions(int r, int pr) {
  /** The cluster defaults. */
  public static final ReadOptions DEFAULT = new ReadOptions(0, 0);

  public ReadOptions {
    if (r < 0 || pr < 0) {
      throw new IllegalArgumentException("r and pr must be >= 0 (0 = cluster default)");
    }
  }

  io.kvstore.proto.ReadOptions toProto() {
    return io.kvstore.proto.ReadOptions.newBuilder().setR(r).setPr(pr).build();
  }
}
