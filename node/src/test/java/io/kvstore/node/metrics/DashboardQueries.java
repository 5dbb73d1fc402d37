package io.kvstore.node.metrics;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Grafana dashboard (JSON) asks Prometheus: every panel's target expressions, the
 * label_values queries of its template variables, and the metrics each expression reads
 * ({@link #selectors}), so a test can hold them against a real scrape. Immutable.
 */
public final class DashboardQueries {
  /** A metric an expression reads, and the label names it matches on. */
  public record Selector(String metric, Set<String> labels) {}

  /** A template variable's {@code label_values(metric, label)} query. */
  public record LabelValues(String metric, String label) {}

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)}");
  private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\u00a7(\\d+)\u00a7)?(\\s*\\()?");
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring",
      "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_]\\w*)\\s*\\)");

  private final JsonObject json;

  private DashboardQueries(JsonObject json) {
    this.json = json;
  }

  public static DashboardQueries load(Path file) throws IOException {
    return new DashboardQueries(JsonParser.parseString(Files.readString(file)).getAsJsonObject());
  }

  public JsonObject json() {
    return json;
  }

  /** Every panel, rows' nested panels included. */
  public List<JsonObject> panels() {
    List<JsonObject> out = new ArrayList<>();
    for (JsonElement p : json.getAsJsonArray("panels")) {
      out.add(p.getAsJsonObject());
      JsonArray nested = p.getAsJsonObject().getAsJsonArray("panels");
      if (nested != null) {
        nested.forEach(n -> out.add(n.getAsJsonObject()));
      }
    }
    return out;
  }

  /** Every target expression of every panel. */
  public List<String> expressions() {
    List<String> out = new ArrayList<>();
    for (JsonObject p : panels()) {
      JsonArray targets = p.getAsJsonArray("targets");
      if (targets != null) {
        targets.forEach(t -> out.add(t.getAsJsonObject().get("expr").getAsString()));
      }
    }
    return out;
  }

  /** The label_values queries of the template variables. */
  public List<LabelValues> labelValues() {
    List<LabelValues> out = new ArrayList<>();
    for (JsonElement v : json.getAsJsonObject("templating").getAsJsonArray("list")) {
      JsonElement def = v.getAsJsonObject().get("definition");
      Matcher m = LABEL_VALUES.matcher(def == null ? "" : def.getAsString());
      if (m.find()) {
        out.add(new LabelValues(m.group(1), m.group(2)));
      }
    }
    return out;
  }

  /**
   * The metrics {@code expr} (PromQL) reads, in order: every identifier that is not a function or
   * aggregation (followed by a parenthesis), a keyword, a grouping clause's label or inside a
   * label matcher, a range or a string.
   */
  public static List<Selector> selectors(String expr) {
    String s = STRING.matcher(expr).replaceAll("\"\"").replaceAll("\\[[^\\]]*]", " ");
    List<Set<String>> matchers = new ArrayList<>();
    Matcher braces = MATCHERS.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (braces.find()) {
      Set<String> names = new LinkedHashSet<>();
      Matcher l = MATCHER_LABEL.matcher(braces.group(1));
      while (l.find()) {
        names.add(l.group(1));
      }
      braces.appendReplacement(sb, " \u00a7" + matchers.size() + "\u00a7 ");
      matchers.add(names);
    }
    braces.appendTail(sb);
    s = GROUPING.matcher(sb.toString()).replaceAll(" ");
    List<Selector> out = new ArrayList<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      if (m.group(4) != null && m.group(2) == null || KEYWORDS.contains(m.group(1))) {
        continue;
      }
      Set<String> labels = m.group(3) == null ? Set.of() : matchers.get(Integer.parseInt(m.group(3)));
      out.add(new Selector(m.group(1), labels));
    }
    return out;
  }
}
