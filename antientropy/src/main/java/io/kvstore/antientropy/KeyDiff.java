package io.kvstore.antientropy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The last step of an exchange: given both replicas' listings of the differing segments, the
 * keys whose sibling sets must be exchanged and merged.
 *
 * <p>Stateless; thread-safe. O((n + m) log(n + m)).
 */
public final class KeyDiff {
  private static final Comparator<KeyHash> BY_KEY =
      (a, b) -> Arrays.compareUnsigned(a.keyBytes(), b.keyBytes());

  private KeyDiff() {}

  /**
   * Keys present on one side only, or on both with different hashes. Inputs in any order, each
   * listing a key at most once (a key twice on one side is an IllegalArgumentException: the
   * listing is broken). Output sorted by unsigned byte order, without duplicates; the arrays are
   * fresh copies.
   */
  public static List<byte[]> differingKeys(List<KeyHash> local, List<KeyHash> remote) {
    List<KeyHash> a = sorted(local, "local");
    List<KeyHash> b = sorted(remote, "remote");
    List<byte[]> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      int c = i == a.size() ? 1 : j == b.size() ? -1 : BY_KEY.compare(a.get(i), b.get(j));
      if (c < 0) {
        out.add(a.get(i++).key());
      } else if (c > 0) {
        out.add(b.get(j++).key());
      } else {
        if (a.get(i).hash() != b.get(j).hash()) {
          out.add(a.get(i).key());
        }
        i++;
        j++;
      }
    }
    return out;
  }

  private static List<KeyHash> sorted(List<KeyHash> listing, String side) {
    List<KeyHash> s = new ArrayList<>(listing);
    s.sort(BY_KEY);
    for (int i = 1; i < s.size(); i++) {
      if (BY_KEY.compare(s.get(i - 1), s.get(i)) == 0) {
        throw new IllegalArgumentException(
            "the " + side + " listing holds key "
            + HexFormat.of().formatHex(s.get(i).keyBytes()) + " more than once");
      }
    }
    return s;
  }
}
