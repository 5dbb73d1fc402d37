package io.kvstore.lsm.sstable;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.internal.InternalKey;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * Test support: a deliberately simple model of a table (a TreeMap of internal keys in
 * InternalKey.COMPARATOR order), random generators for it, and the expected answers of get.
 */
final class TableModel {
  final NavigableMap<byte[], byte[]> entries = new TreeMap<>(InternalKey.COMPARATOR);
  final TreeMap<byte[], Boolean> userKeys = new TreeMap<>(Arrays::compareUnsigned);
  long maxSeq;

  void put(byte[] userKey, long seq, byte[] value) {
    entries.put(InternalKey.encode(userKey, seq, InternalKey.TYPE_PUT), value);
    userKeys.put(userKey, true);
    maxSeq = Math.max(maxSeq, seq);
  }

  void delete(byte[] userKey, long seq) {
    entries.put(InternalKey.encode(userKey, seq, InternalKey.TYPE_DELETE), new byte[0]);
    userKeys.put(userKey, true);
    maxSeq = Math.max(maxSeq, seq);
  }

  /** What TableReader.get must answer. */
  LookupResult get(byte[] userKey, long seq) {
    byte[] target = InternalKey.encode(userKey, Math.min(seq, InternalKey.MAX_SEQ), (byte) 0xff);
    Map.Entry<byte[], byte[]> e = entries.ceilingEntry(target);
    if (e == null || InternalKey.compareUserKey(e.getKey(), userKey) != 0) {
      return LookupResult.ABSENT;
    }
    return InternalKey.type(e.getKey()) == InternalKey.TYPE_PUT
        ? LookupResult.found(e.getValue())
        : LookupResult.DELETED;
  }

  TableMeta write(Path path, TableOptions opts) {
    TableBuilder b = new TableBuilder(DefaultEnv.INSTANCE, path, opts);
    for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
      b.add(e.getKey(), e.getValue());
    }
    return b.finish();
  }

  /**
   * Random table: user keys from a small alphabet with a common prefix (so prefix compression and
   * restart points matter), 1..4 versions each, ~20% tombstones, some empty values.
   */
  static TableModel random(Random rnd, int userKeyCount, int maxValueLen) {
    TableModel m = new TableModel();
    long seq = 1;
    for (int i = 0; i < userKeyCount; i++) {
      byte[] uk = randomUserKey(rnd);
      int versions = 1 + rnd.nextInt(4);
      for (int v = 0; v < versions; v++) {
        seq += 1 + rnd.nextInt(3);
        if (rnd.nextInt(5) == 0) {
          m.delete(uk, seq);
        } else {
          m.put(uk, seq, randomBytes(rnd, rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(maxValueLen + 1)));
        }
      }
    }
    return m;
  }

  static byte[] randomUserKey(Random rnd) {
    int len = rnd.nextInt(12) + (rnd.nextInt(20) == 0 ? 0 : 4);
    byte[] k = new byte[len];
    for (int i = 0; i < len; i++) {
      if (i < 2) {
        k[i] = 'k';
      } else {
        k[i] = (byte) (rnd.nextInt(6) == 0 ? 0xff - rnd.nextInt(3) : 'a' + rnd.nextInt(4));
      }
    }
    return k;
  }

  static byte[] randomBytes(Random rnd, int len) {
    byte[] b = new byte[len];
    rnd.nextBytes(b);
    return b;
  }

  static String hex(byte[] b) {
    return b == null ? "null" : HexFormat.of().formatHex(b);
  }
}
