package io.kvstore.bench.ycsb;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The binding's reconciliation of concurrent siblings (Dynamo 4.4: the application resolves):
 * the merged record has the union of the siblings' fields, and a field that several siblings
 * hold with different bytes takes the greatest of them in unsigned lexicographic byte order.
 *
 * <p>Why this rule: it is a join (commutative, associative, idempotent), so any client that
 * merges the same siblings, in any order and any grouping, gets the same record, and replicas
 * that resolve partial sets converge. YCSB's updates carry no timestamps, so "latest wins" is
 * not available; byte order is arbitrary but deterministic, and no field ever disappears in a
 * merge (a YCSB record never loses fields; deletes are tombstones, not field removals).
 *
 * <p>Stateless and thread safe.
 */
public final class SiblingMerge {
  private SiblingMerge() {}

  /**
   * Merges encoded siblings (see {@link FieldCodec}); an empty list gives an empty record.
   *
   * @throws MalformedRecordException if a sibling is not an encoded record
   */
  public static SortedMap<String, byte[]> merge(List<byte[]> siblings) {
    SortedMap<String, byte[]> merged = new TreeMap<>();
    for (byte[] sibling : siblings) {
      for (Map.Entry<String, byte[]> f : FieldCodec.decode(sibling).entrySet()) {
        merged.merge(f.getKey(), f.getValue(),
            (a, b) -> Arrays.compareUnsigned(a, b) >= 0 ? a : b);
      }
    }
    return merged;
  }
}
