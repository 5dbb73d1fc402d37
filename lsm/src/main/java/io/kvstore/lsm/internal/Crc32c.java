package io.kvstore.lsm.internal;

import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli) helpers shared by every on-disk format. Stored CRCs are masked as in
 * LevelDB ({@code rotate right 15 + 0xa282ead8}) so that a CRC computed over data that itself
 * contains CRCs does not degenerate.
 */
public final class Crc32c {
  private static final int MASK_DELTA = 0xa282ead8;

  private Crc32c() {}

  public static int compute(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  public static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  public static int unmask(int masked) {
    int rot = masked - MASK_DELTA;
    return (rot >>> 17) | (rot << 15);
  }

  /** Masked CRC of a byte range: what the formats store. */
  public static int masked(byte[] data, int offset, int length) {
    return mask(compute(data, offset, length));
  }
}
