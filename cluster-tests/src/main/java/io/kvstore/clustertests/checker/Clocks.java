package io.kvstore.clustertests.checker;

import java.util.Map;
import java.util.TreeMap;

/**
 * Parses the human-readable dots and vector clocks of Admin.GetLocalVersions: a dot is "actor:counter"
 * ("n1.3:7": actor n1 incarnation 3, counter 7), a clock "{n1.3=7, n2.1=4}" (':' is accepted in
 * place of '=' too, as the proto comment shows it). The empty string, null and "{}" are the
 * empty clock. Actors are compared as opaque strings.
 *
 * <p>Thread safety: stateless. Invariant: counters are &gt;= 1 in dots, &gt;= 0 in clocks.
 */
final class Clocks {
  private Clocks() {}

  /** One write event. */
  record Dot(String actor, long counter) {}

  /**
   * @throws IllegalArgumentException if not "actor:counter" with counter &gt;= 1
   */
  static Dot dot(String text) {
    int at = text.lastIndexOf(':');
    if (at <= 0) {
      throw new IllegalArgumentException("malformed dot \"" + text + "\"");
    }
    long counter = number(text.substring(at + 1), text);
    if (counter < 1) {
      throw new IllegalArgumentException("dot counter < 1 in \"" + text + "\"");
    }
    return new Dot(text.substring(0, at).strip(), counter);
  }

  /**
   * @throws IllegalArgumentException if not "{actor=counter, ...}" with distinct actors
   */
  static Map<String, Long> clock(String text) {
    Map<String, Long> m = new TreeMap<>();
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      return m;
    }
    if (!t.startsWith("{") || !t.endsWith("}")) {
      throw new IllegalArgumentException("malformed clock \"" + text + "\"");
    }
    String body = t.substring(1, t.length() - 1).strip();
    if (body.isEmpty()) {
      return m;
    }
    for (String entry : body.split(",", -1)) {
      int at = Math.max(entry.lastIndexOf('='), entry.lastIndexOf(':'));
      String actor = at < 0 ? "" : entry.substring(0, at).strip();
      if (actor.isEmpty()) {
        throw new IllegalArgumentException("malformed clock entry \"" + entry + "\" in " + text);
      }
      long counter = number(entry.substring(at + 1), text);
      if (m.put(actor, counter) != null) {
        throw new IllegalArgumentException("actor " + actor + " twice in clock " + text);
      }
    }
    return m;
  }

  /** Whether {@code clock} covers {@code dot}: clock[actor] &gt;= counter. */
  static boolean covers(Map<String, Long> clock, Dot dot) {
    return clock.getOrDefault(dot.actor(), 0L) >= dot.counter();
  }

  /** Whether a &lt;= b pointwise. */
  static boolean leq(Map<String, Long> a, Map<String, Long> b) {
    for (Map.Entry<String, Long> e : a.entrySet()) {
      if (e.getValue() > b.getOrDefault(e.getKey(), 0L)) {
        return false;
      }
    }
    return true;
  }

  private static long number(String s, String whole) {
    try {
      long n = Long.parseLong(s.strip());
      if (n < 0) {
        throw new IllegalArgumentException("negative counter in \"" + whole + "\"");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad counter in \"" + whole + "\"", e);
    }
  }
}
