package io.kvstore.node.cluster;

import io.kvstore.ring.NodeId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node last saw of each peer: the last call reached it (UP) or could not (DOWN), or no
 * call yet (UNKNOWN). A stand-in for failure detection until gossip arrives; used for status
 * output only, never to skip replicas. Thread safe.
 */
public final class PeerHealth {
  /** Last observed reachability. */
  public enum State {
    UP,
    DOWN,
    UNKNOWN
  }

  private final Map<NodeId, State> states = new ConcurrentHashMap<>();

  public void succeeded(NodeId peer) {
    states.put(peer, State.UP);
  }

  public void failed(NodeId peer) {
    states.put(peer, State.DOWN);
  }

  public State state(NodeId peer) {
    return states.getOrDefault(peer, State.UNKNOWN);
  }
}
