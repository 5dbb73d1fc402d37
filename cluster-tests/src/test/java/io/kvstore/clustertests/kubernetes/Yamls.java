package io.kvstore.clustertests.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * Typed steps through a parsed YAML tree (SnakeYAML's maps and lists), failing with the path
 * that was missing or of the wrong kind. Stateless.
 */
final class Yamls {
  private Yamls() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node, String... path) {
    Object v = at(node, path);
    if (!(v instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(String.join(".", path) + " is not a mapping: " + v);
    }
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node, String... path) {
    Object v = at(node, path);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?>)) {
      throw new IllegalArgumentException(String.join(".", path) + " is not a list: " + v);
    }
    return (List<Object>) v;
  }

  /** The scalar at {@code path} as text, or null if absent. */
  static String str(Object node, String... path) {
    Object v = at(node, path);
    return v == null ? null : String.valueOf(v);
  }

  /** The value at {@code path}, or null where any step is absent. */
  static Object at(Object node, String... path) {
    Object v = node;
    for (String step : path) {
      if (!(v instanceof Map<?, ?> m)) {
        return null;
      }
      v = m.get(step);
    }
    return v;
  }
}
