package io.kvstore.node.coord;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link CoordinatorListener} that counts each event by name, for tests. Thread safe. */
final class CountingListener implements CoordinatorListener {
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  /** How often {@code event} happened: a method name, or a {@link Retry} constant's name. */
  int count(String event) {
    AtomicInteger n = counts.get(event);
    return n == null ? 0 : n.get();
  }

  int count(Retry retry) {
    return count(retry.name());
  }

  /** Retries of every kind. */
  int retries() {
    int sum = 0;
    for (Retry r : Retry.values()) {
      sum += count(r);
    }
    return sum;
  }

  private void add(String event) {
    counts.computeIfAbsent(event, e -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void readRepair(String target) {
    add("readRepair");
  }

  @Override
  public void readRepairFailed(String target) {
    add("readRepairFailed");
  }

  @Override
  public void readRepairDropped() {
    add("readRepairDropped");
  }

  @Override
  public void manySiblings(int count) {
    add("manySiblings");
  }

  @Override
  public void hintedWrite(String owner) {
    add("hintedWrite");
  }

  @Override
  public void retried(Retry retry) {
    add(retry.name());
  }

  @Override
  public void forwardSent(String target) {
    add("forwardSent");
  }

  @Override
  public void forwardReceived() {
    add("forwardReceived");
  }
}
