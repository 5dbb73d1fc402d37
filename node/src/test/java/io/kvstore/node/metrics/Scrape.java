package io.kvstore.node.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus text exposition, read back for tests: each sample name with the label names its
 * samples carry and the sum of their values. Comments (HELP, TYPE) are skipped, so a name counts
 * only if a sample of it is there. Immutable.
 */
public final class Scrape {
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private final Map<String, Set<String>> labels;
  private final Map<String, Double> sums;

  private Scrape(Map<String, Set<String>> labels, Map<String, Double> sums) {
    this.labels = labels;
    this.sums = sums;
  }

  /** Parses one or more scrapes' text (several nodes' scrapes concatenated read as their union). */
  public static Scrape parse(String text) {
    Map<String, Set<String>> labels = new HashMap<>();
    Map<String, Double> sums = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = line.substring(0, brace >= 0 ? brace : space);
      Set<String> names = labels.computeIfAbsent(name, n -> new HashSet<>());
      if (brace >= 0) {
        Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
      sums.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
    }
    return new Scrape(Map.copyOf(labels), Map.copyOf(sums));
  }

  /** Those of {@code lines} that are not a whole line of {@code text}, in order. */
  public static List<String> missingLines(String text, List<String> lines) {
    Set<String> present = Set.of(text.split("\n"));
    return lines.stream().filter(l -> !present.contains(l)).toList();
  }

  /** Whether a sample named {@code name} exists. */
  public boolean has(String name) {
    return labels.containsKey(name);
  }

  /** The label names the samples of {@code name} carry (empty if none exists). */
  public Set<String> labels(String name) {
    return labels.getOrDefault(name, Set.of());
  }

  /** The sum of every sample of {@code name} (0 if none exists). */
  public double sum(String name) {
    return sums.getOrDefault(name, 0.0);
  }

  public Set<String> names() {
    return labels.keySet();
  }
}
