package io.kvstore.clustertests.history;

import java.util.Locale;

/**
 * Which kind of client issued an operation (FAULT-SUITE.md, "Workloads"): one pinned to a single
 * node (the op's {@code node}), or one that knows every node's address and lets its client
 * library choose the coordinator, as applications do (the op then names no node). The
 * availability report compares the two: a pinned client shares its node's fate, a client of all
 * nodes could go elsewhere.
 *
 * <p>Thread safety: immutable enum.
 */
public enum ClientKind {
  /** Talks to one node only; also the harness's own final and raw reads. */
  PINNED,
  /** Built with every node's address; its library picks (and fails over between) coordinators. */
  ALL_NODES;

  /** "pinned" or "all-nodes", as the history file writes it. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * @throws IllegalArgumentException for a name this version does not know
   */
  public static ClientKind fromJson(String s) {
    for (ClientKind k : values()) {
      if (k.jsonName().equals(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown client kind \"" + s + "\"");
  }
}
