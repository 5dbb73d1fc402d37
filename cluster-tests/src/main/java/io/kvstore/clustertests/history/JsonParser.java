package io.kvstore.clustertests.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser for history lines: objects become {@code Map<String, Object>}
 * (insertion-ordered), arrays {@code List<Object>}, strings {@code String}, integers {@code
 * Long}, other numbers {@code Double}, and true/false/null themselves. Rejects trailing garbage,
 * raw control characters in strings, bad escapes and duplicate field names.
 *
 * <p>Thread safety: not thread safe; one instance parses one text.
 */
final class JsonParser {
  private final String s;
  private int pos;

  private JsonParser(String s) {
    this.s = s;
  }

  /**
   * Parses a text holding exactly one JSON object.
   *
   * @throws IllegalArgumentException with the offset of the first problem
   */
  static Map<String, Object> parseObject(String text) {
    JsonParser p = new JsonParser(text);
    p.skipSpace();
    Map<String, Object> m = p.object();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("trailing characters");
    }
    return m;
  }

  private Object value() {
    skipSpace();
    if (pos >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(pos);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object() {
    expect('{');
    Map<String, Object> m = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return m;
    }
    while (true) {
      skipSpace();
      int at = pos;
      String name = string();
      skipSpace();
      expect(':');
      Object v = value();
      if (m.containsKey(name)) {
        pos = at;
        throw error("duplicate field \"" + name + "\"");
      }
      m.put(name, v);
      skipSpace();
      if (peek() == ',') {
        pos++;
      } else {
        expect('}');
        return m;
      }
    }
  }

  private List<Object> array() {
    expect('[');
    List<Object> l = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return l;
    }
    while (true) {
      l.add(value());
      skipSpace();
      if (peek() == ',') {
        pos++;
      } else {
        expect(']');
        return l;
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      } else if (c < 0x20) {
        pos--;
        throw error("raw control character in string");
      } else if (c == '\\') {
        b.append(escape());
      } else {
        b.append(c);
      }
    }
  }

  private char escape() {
    if (pos >= s.length()) {
      throw error("unterminated escape");
    }
    char e = s.charAt(pos++);
    return switch (e) {
      case '"', '\\', '/' -> e;
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'u' -> {
        if (pos + 4 > s.length()) {
          throw error("short \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
          int d = Character.digit(s.charAt(pos + i), 16);
          if (d < 0) {
            throw error("bad hex digit in \\u escape");
          }
          v = v * 16 + d;
        }
        pos += 4;
        yield (char) v;
      }
      default -> {
        pos--;
        throw error("bad escape \\" + e);
      }
    };
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    boolean integral = true;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c >= '0' && c <= '9') {
        pos++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        integral = false;
        pos++;
      } else {
        break;
      }
    }
    String t = s.substring(start, pos);
    try {
      return integral ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("bad number \"" + t + "\"");
    }
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
    return v;
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private void skipSpace() {
    while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private IllegalArgumentException error(String reason) {
    return new IllegalArgumentException(reason + " at offset " + pos);
  }
}
