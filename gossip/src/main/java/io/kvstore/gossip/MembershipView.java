package io.kvstore.gossip;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a node knows of the cluster's membership: one {@link EndpointState} per node id.
 *
 * <p>An immutable value, thread-safe; iteration is in node-id order. {@link #merge} keeps, per
 * node, the entry that is greater by {@link EndpointState#PRECEDENCE}; it is commutative,
 * associative and idempotent and never replaces an entry by an older one, so views converge
 * whatever order exchanges happen in. Nothing is ever removed: a down node keeps its entry.
 */
public final class MembershipView {
  private static final MembershipView EMPTY = new MembershipView(new TreeMap<>());

  private final SortedMap<String, EndpointState> entries;

  private MembershipView(TreeMap<String, EndpointState> entries) {
    this.entries = Collections.unmodifiableSortedMap(entries);
  }

  public static MembershipView empty() {
    return EMPTY;
  }

  /** A view of the given entries; two entries of one node are merged. */
  public static MembershipView of(Collection<EndpointState> states) {
    return EMPTY.withAll(states);
  }

  public static MembershipView of(EndpointState... states) {
    return of(List.of(states));
  }

  /** The entries by node id, in id order; unmodifiable. */
  public SortedMap<String, EndpointState> entries() {
    return entries;
  }

  /** The entry of {@code nodeId}, or null if this view has none. */
  public EndpointState get(String nodeId) {
    return entries.get(nodeId);
  }

  public boolean contains(String nodeId) {
    return entries.containsKey(nodeId);
  }

  public int size() {
    return entries.size();
  }

  /** This view with {@code state} as its node's entry, whether or not it is newer. */
  public MembershipView with(EndpointState state) {
    Objects.requireNonNull(state, "state");
    TreeMap<String, EndpointState> copy = new TreeMap<>(entries);
    copy.put(state.nodeId(), state);
    return new MembershipView(copy);
  }

  /** The entries of {@code other} that win over this view's entries of the same nodes. */
  public List<EndpointState> newerEntries(MembershipView other) {
    List<EndpointState> out = new ArrayList<>();
    for (EndpointState theirs : other.entries.values()) {
      EndpointState mine = entries.get(theirs.nodeId());
      if (mine == null || theirs.supersedes(mine)) {
        out.add(theirs);
      }
    }
    return out;
  }

  /** Per node, the greater of the two entries; a node in either view is in the result. */
  public MembershipView merge(MembershipView other) {
    return withAll(newerEntries(other));
  }

  private MembershipView withAll(Collection<EndpointState> states) {
    if (states.isEmpty()) {
      return this;
    }
    TreeMap<String, EndpointState> copy = new TreeMap<>(entries);
    for (EndpointState s : states) {
      copy.merge(s.nodeId(), s, (a, b) -> b.supersedes(a) ? b : a);
    }
    return new MembershipView(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MembershipView v && entries.equals(v.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("MembershipView{");
    String sep = "";
    for (Map.Entry<String, EndpointState> e : entries.entrySet()) {
      EndpointState s = e.getValue();
      sb.append(sep).append(e.getKey()).append('@').append(s.address())
          .append(" g").append(s.generation()).append(" v").append(s.heartbeatVersion())
          .append(' ').append(s.status()).append(" e").append(s.ringEpoch());
      sep = ", ";
    }
    return sb.append('}').toString();
  }
}
