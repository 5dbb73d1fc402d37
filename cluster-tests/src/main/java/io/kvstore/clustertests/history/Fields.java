package io.kvstore.clustertests.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed access to the fields of one parsed history line, failing with a {@link
 * HistoryFormatException} that names the file, the line and the field.
 *
 * <p>Thread safety: immutable after construction.
 */
final class Fields {
  private final String file;
  private final int line;
  private final Map<String, Object> m;

  Fields(String file, int line, Map<String, Object> m) {
    this.file = file;
    this.line = line;
    this.m = m;
  }

  boolean has(String name) {
    return m.get(name) != null;
  }

  String string(String name) throws HistoryFormatException {
    String s = optString(name);
    if (s == null) {
      throw error("missing field \"" + name + "\"");
    }
    return s;
  }

  String optString(String name) throws HistoryFormatException {
    Object v = m.get(name);
    if (v != null && !(v instanceof String)) {
      throw error("field \"" + name + "\" is not a string");
    }
    return (String) v;
  }

  long number(String name) throws HistoryFormatException {
    if (!(m.get(name) instanceof Long l)) {
      throw error("field \"" + name + "\" is missing or not an integer");
    }
    return l;
  }

  /** A boolean field; absent means false. */
  boolean flag(String name) throws HistoryFormatException {
    Object v = m.get(name);
    if (v != null && !(v instanceof Boolean)) {
      throw error("field \"" + name + "\" is not a boolean");
    }
    return Boolean.TRUE.equals(v);
  }

  /** An array of strings; absent means empty. */
  List<String> strings(String name) throws HistoryFormatException {
    List<String> out = new ArrayList<>();
    for (Object o : list(name)) {
      if (!(o instanceof String s)) {
        throw error("field \"" + name + "\" holds a non-string");
      }
      out.add(s);
    }
    return out;
  }

  /** An array of objects; absent means empty. */
  List<Fields> objects(String name) throws HistoryFormatException {
    List<Fields> out = new ArrayList<>();
    for (Object o : list(name)) {
      if (!(o instanceof Map<?, ?> map)) {
        throw error("field \"" + name + "\" holds a non-object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) map;
      out.add(new Fields(file, line, typed));
    }
    return out;
  }

  HistoryFormatException error(String reason) {
    return new HistoryFormatException(file, line, reason);
  }

  private List<?> list(String name) throws HistoryFormatException {
    Object v = m.get(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw error("field \"" + name + "\" is not an array");
    }
    return l;
  }
}
