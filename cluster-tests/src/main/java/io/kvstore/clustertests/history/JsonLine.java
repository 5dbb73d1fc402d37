package io.kvstore.clustertests.history;

import java.util.List;

/**
 * Builds one JSON object on one line, fields in the order added. Strings are escaped so that the
 * output is pure ASCII: quote, backslash and control characters as JSON escapes, everything
 * outside printable ASCII (including lone surrogates) as {@code \}{@code uXXXX}. So any Java
 * string round-trips exactly, and a line never contains a raw newline.
 *
 * <p>Thread safety: not thread safe; one builder per line.
 */
final class JsonLine {
  private final StringBuilder b = new StringBuilder("{");

  JsonLine put(String name, String value) {
    name(name);
    quote(b, value);
    return this;
  }

  JsonLine put(String name, long value) {
    name(name).append(value);
    return this;
  }

  JsonLine put(String name, boolean value) {
    name(name).append(value);
    return this;
  }

  /** Adds the field only when value is not null. */
  JsonLine putIfPresent(String name, String value) {
    return value == null ? this : put(name, value);
  }

  JsonLine putStrings(String name, List<String> values) {
    name(name).append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      quote(b, values.get(i));
    }
    b.append(']');
    return this;
  }

  /** Adds an array of already-built objects. */
  JsonLine putObjects(String name, List<JsonLine> objects) {
    name(name).append('[');
    for (int i = 0; i < objects.size(); i++) {
      b.append(i > 0 ? "," : "").append(objects.get(i));
    }
    b.append(']');
    return this;
  }

  @Override
  public String toString() {
    return b + "}";
  }

  private StringBuilder name(String name) {
    if (b.length() > 1) {
      b.append(',');
    }
    quote(b, name);
    return b.append(':');
  }

  static void quote(StringBuilder out, String s) {
    if (s == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
