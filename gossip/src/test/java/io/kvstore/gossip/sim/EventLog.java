package io.kvstore.gossip.sim;

import io.kvstore.gossip.LivenessEvent;
import io.kvstore.gossip.LivenessEvent.Down;
import io.kvstore.gossip.LivenessEvent.Up;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every liveness event of a simulated run, with the virtual time and the node that emitted it.
 * Two runs with the same seed must produce equal logs.
 *
 * <p>Not thread-safe; append-only.
 */
final class EventLog {
  /** One event: at {@code at}, {@code observer} decided {@code event} about a peer. */
  record Entry(long at, String observer, LivenessEvent event) {
    @Override
    public String toString() {
      String what = event instanceof Down d
          ? String.format(Locale.ROOT, "Down(%s, phi=%.3f)", d.nodeId(), d.phi())
          : event.toString();
      return at + " " + observer + " " + what;
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  void add(long at, String observer, List<LivenessEvent> events) {
    for (LivenessEvent e : events) {
      entries.add(new Entry(at, observer, e));
    }
  }

  List<Entry> entries() {
    return List.copyOf(entries);
  }

  List<String> lines() {
    return entries.stream().map(Entry::toString).toList();
  }

  /** Events of one kind, optionally about one node ({@code about} null for any). */
  <T extends LivenessEvent> Stream<Entry> of(Class<T> kind, String about) {
    return entries.stream()
        .filter(e -> kind.isInstance(e.event()))
        .filter(e -> about == null || about.equals(e.event().nodeId()));
  }

  /** Time of the first event of {@code kind} by {@code observer} about {@code about} at or
   * after {@code from}. */
  OptionalLong first(Class<? extends LivenessEvent> kind, String observer, String about,
      long from) {
    return of(kind, about)
        .filter(e -> e.observer().equals(observer) && e.at() >= from)
        .mapToLong(Entry::at)
        .findFirst();
  }

  /**
   * The peers {@code observer} considers alive by its events alone ("Up adds, Down removes"),
   * counting only events since {@code since} (a restart of the observer starts afresh).
   */
  TreeSet<String> aliveByEvents(String observer, long since) {
    TreeSet<String> alive = new TreeSet<>();
    for (Entry e : entries) {
      if (!e.observer().equals(observer) || e.at() < since) {
        continue;
      }
      if (e.event() instanceof Up) {
        alive.add(e.event().nodeId());
      } else if (e.event() instanceof Down) {
        alive.remove(e.event().nodeId());
      }
    }
    return alive;
  }
}
