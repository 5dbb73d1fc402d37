package io.kvstore.node.security;

/**
 * What a caller may do. Each role includes the ones before it: a client reads and writes keys
 * (the KvStore service, Admin.GetNodeInfo); an operator also reads raw replica state and starts
 * repairs (Admin.GetLocalVersions, Admin.Repair); a node (a certificate of the cluster CA) also
 * calls the node-to-node services (Replica, AntiEntropy).
 */
public enum Role {
  CLIENT,
  OPERATOR,
  NODE;

  public boolean covers(Role needed) {
    return compareTo(needed) >= 0;
  }
}
