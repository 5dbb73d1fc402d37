package io.kvstore.clustertests.checker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A deliberately simple single-replica model of kvstore's sibling semantics for generating
 * histories: a key holds dot -> value; a read returns the values and, as context, the dots it
 * saw; a put removes exactly the dots its context names and adds one new sibling. Not thread
 * safe.
 */
final class MiniStore {
  private final Map<String, TreeMap<Integer, String>> keys = new TreeMap<>();
  private int counter;

  record Read(List<String> values, String context) {}

  Read read(String key) {
    TreeMap<Integer, String> s = keys.getOrDefault(key, new TreeMap<>());
    String ctx = s.keySet().stream().map(String::valueOf).collect(Collectors.joining("."));
    return new Read(new ArrayList<>(s.values()), ctx);
  }

  /** Writes value superseding the dots named by ctx; returns the new dot. */
  int put(String key, String value, String ctx) {
    TreeMap<Integer, String> s = keys.computeIfAbsent(key, k -> new TreeMap<>());
    if (!ctx.isEmpty()) {
      for (String d : ctx.split("\\.")) {
        s.remove(Integer.parseInt(d));
      }
    }
    s.put(++counter, value);
    return counter;
  }

  /** The siblings with their dots, for raw reads ("n1.1:dot"). */
  Map<Integer, String> siblings(String key) {
    return new TreeMap<>(keys.getOrDefault(key, new TreeMap<>()));
  }
}
