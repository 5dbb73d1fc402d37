package io.kvstore.clustertests.history;

import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The value encoding of the set-add workload: a set of ints as its elements in ascending order,
 * comma-separated, no spaces ("1,5,9"; the empty set is ""). A read of a set key observes the
 * union of its siblings, since concurrent adds leave one sibling each.
 *
 * <p>Thread safety: stateless. Invariant: {@code decode(encode(s)).equals(s)}, and {@code
 * encode} is canonical, so equal sets have equal encodings.
 */
public final class SetCodec {
  private SetCodec() {}

  public static String encode(Collection<Integer> elements) {
    StringBuilder b = new StringBuilder();
    for (int e : new TreeSet<>(elements)) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(e);
    }
    return b.toString();
  }

  /**
   * Decodes a sibling value.
   *
   * @throws IllegalArgumentException if it is not a comma-separated list of ints
   */
  public static SortedSet<Integer> decode(String encoded) {
    SortedSet<Integer> s = new TreeSet<>();
    if (encoded.isEmpty()) {
      return s;
    }
    for (String part : encoded.split(",", -1)) {
      s.add(element(part));
    }
    return s;
  }

  /** The union of the sets the siblings encode: what a read of a set key observed. */
  public static SortedSet<Integer> union(Collection<String> siblings) {
    SortedSet<Integer> s = new TreeSet<>();
    for (String v : siblings) {
      s.addAll(decode(v));
    }
    return s;
  }

  /** The value a set-add writes: the union of the siblings it read, plus {@code element}. */
  public static String add(Collection<String> siblingsRead, int element) {
    Set<Integer> s = union(siblingsRead);
    s.add(element);
    return encode(s);
  }

  /**
   * Parses one element (the {@code value} of an ADD op).
   *
   * @throws IllegalArgumentException if it is not an int in canonical decimal form (no sign
   *     "+", no leading zeros, no spaces)
   */
  public static int element(String text) {
    int n;
    try {
      n = Integer.parseInt(text == null ? "" : text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a set element: \"" + text + "\"", e);
    }
    if (!Integer.toString(n).equals(text)) {
      throw new IllegalArgumentException("not a canonical set element: \"" + text + "\"");
    }
    return n;
  }
}
