package io.kvstore.clustertests.checker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checker's verdict: its name, whether it passed, named counts (in a stable order, for the
 * summary), the anomalies that made it fail (each naming keys, values and op indexes), and notes
 * that explain what could not be checked without being a failure.
 *
 * <p>Thread safety: immutable value. Invariant: {@code passed} iff there are no anomalies.
 */
public record CheckResult(
    String name, boolean passed, Map<String, Long> counts, List<String> anomalies, List<String> notes) {

  public CheckResult {
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    anomalies = List.copyOf(anomalies);
    notes = List.copyOf(notes);
    if (passed != anomalies.isEmpty()) {
      throw new IllegalArgumentException("passed must equal 'no anomalies'");
    }
  }

  /** A count by name, or -1 if this result has no such count. */
  public long count(String key) {
    return counts.getOrDefault(key, -1L);
  }

  public String verdict() {
    return passed ? "PASS" : "FAIL";
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  @Override
  public String toString() {
    return name + " " + verdict() + " " + counts + (anomalies.isEmpty() ? "" : " " + anomalies.size()
        + " anomalies, first: " + anomalies.get(0));
  }

  /** Collects counts, anomalies and notes while a checker runs. Not thread safe. */
  public static final class Builder {
    private final String name;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final List<String> anomalies = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** Sets a count (declare counts early to fix their order). */
    public Builder count(String key, long value) {
      counts.put(key, value);
      return this;
    }

    public Builder add(String key, long delta) {
      counts.merge(key, delta, Long::sum);
      return this;
    }

    /** Raises a count to {@code value} if it is lower (or absent). */
    public Builder max(String key, long value) {
      counts.merge(key, value, Math::max);
      return this;
    }

    /** A count as set so far, or 0 if it is not set. */
    public long current(String key) {
      return counts.getOrDefault(key, 0L);
    }

    public boolean hasAnomalies() {
      return !anomalies.isEmpty();
    }

    public Builder anomaly(String text) {
      anomalies.add(text);
      return this;
    }

    public Builder note(String text) {
      notes.add(text);
      return this;
    }

    public CheckResult build() {
      return new CheckResult(name, anomalies.isEmpty(), counts, anomalies, notes);
    }
  }
}
