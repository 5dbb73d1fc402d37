package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import io.kvstore.clustertests.history.RawSibling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end-of-run views of the keys that several checkers judge: the successful final reads
 * (R = N, one per node) and each replica's last successful raw read. Also how anomalies name an
 * operation.
 *
 * <p>Thread safety: stateless.
 */
final class FinalViews {
  private FinalViews() {}

  /** Key -> node -> the last (by invocation) successful RAW_READ pair of that replica. */
  static Map<String, Map<String, OpPair>> lastRawReads(List<OpPair> pairs) {
    Map<String, Map<String, OpPair>> m = new TreeMap<>();
    for (OpPair p : pairs) {
      if (p.f() == Op.F.RAW_READ && p.isOk()) {
        m.computeIfAbsent(p.key(), k -> new TreeMap<>()).put(String.valueOf(p.invoke().node()), p);
      }
    }
    return m;
  }

  /** Key -> successful FINAL_READ pairs, in order of invocation. */
  static Map<String, List<OpPair>> finalReads(List<OpPair> pairs) {
    Map<String, List<OpPair>> m = new TreeMap<>();
    for (OpPair p : pairs) {
      if (p.f() == Op.F.FINAL_READ && p.isOk()) {
        m.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
      }
    }
    return m;
  }

  /** The live (non-tombstone) sibling values of a raw read. */
  static List<String> live(OpPair rawRead) {
    List<String> out = new ArrayList<>();
    for (RawSibling s : rawRead.completion().raw()) {
      if (!s.tombstone()) {
        out.add(s.value());
      }
    }
    return out;
  }

  /** How an anomaly names an operation: "add #12/#15 p3 @n1" (invoke/completion indexes). */
  static String name(OpPair p) {
    return p.f().jsonName() + " #" + p.invoke().index() + "/"
        + (p.completion() == null ? "-" : "#" + p.completion().index()) + " p" + p.invoke().process()
        + (p.invoke().node() == null ? "" : " @" + p.invoke().node());
  }

  /** Milliseconds with one decimal, for messages. */
  static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1fms", nanos / 1e6);
  }

  /** At most {@code max} items of a collection, then "... (N more)". */
  static String firstFew(java.util.Collection<?> items, int max) {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (Object o : items) {
      if (i++ == max) {
        out.add("... (" + (items.size() - max) + " more)");
        break;
      }
      out.add(String.valueOf(o));
    }
    return String.join(", ", out);
  }
}
