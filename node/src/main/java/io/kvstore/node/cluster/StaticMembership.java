package io.kvstore.node.cluster;

import io.kvstore.node.config.MemberConfig;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Membership from the configuration file: a fixed member list, and the ring every node derives
 * from it identically ({@link Ring#create} is deterministic in the sorted member ids). Immutable.
 */
public final class StaticMembership implements Membership {
  private final Map<NodeId, String> addresses;
  private final Ring ring;

  public StaticMembership(List<MemberConfig> members, int partitions) {
    Map<NodeId, String> a = new LinkedHashMap<>();
    for (MemberConfig m : members) {
      a.put(m.id(), m.address().toString());
    }
    this.addresses = java.util.Collections.unmodifiableMap(a);
    this.ring = Ring.create(partitions, a.keySet());
  }

  @Override
  public Map<NodeId, String> addresses() {
    return addresses;
  }

  @Override
  public Ring ring() {
    return ring;
  }
}
