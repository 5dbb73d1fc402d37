package io.kvstore.bench.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/** YCSB records as strings, for the binding tests. */
final class Records {
  private Records() {}

  /** A record from name, value, name, value, ... */
  static Map<String, ByteIterator> fields(String... nameValue) {
    Map<String, ByteIterator> m = new HashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put(nameValue[i], new StringByteIterator(nameValue[i + 1]));
    }
    return m;
  }

  /** Reads {@code key} through {@code db}, which must answer OK. */
  static Map<String, String> read(DB db, String key, Set<String> fields) {
    Map<String, ByteIterator> result = new HashMap<>();
    assertEquals(Status.OK, db.read("usertable", key, fields, result));
    Map<String, String> out = new HashMap<>();
    result.forEach((k, v) -> out.put(k, new String(v.toArray(), StandardCharsets.UTF_8)));
    return out;
  }
}
