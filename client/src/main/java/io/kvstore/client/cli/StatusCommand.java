package io.kvstore.client.cli;

import io.kvstore.client.ClusterStatus;
import io.kvstore.client.ClusterStatus.Member;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kv status}: the cluster as one node sees it, each member's own failure-detector view of
 * its peers and hint store, a reachability probe per member, and the answering node's
 * anti-entropy ({@link AntiEntropySection}).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
        "Prints the cluster as the first reachable node of --nodes sees it: the ring (partitions,"
            + " epoch), the replication defaults N/R/W, and every member with its id, address,"
            + " status from the node's failure detector (UP, DOWN = convicted or shut down,"
            + " UNKNOWN = no heartbeat answer yet), phi (suspicion; convicted above 8 by default),"
            + " time since its last heartbeat answer, partitions owned and incarnation (generation).",
        "REACHABLE is this client's own probe of each member's address (a status call with"
            + " the --timeout deadline): 'yes', or 'no' and why.",
        "Then each reachable member's own view of its peers (its failure detector's verdict and"
            + " phi for each), so asymmetric cuts show: a row is the viewer, a column the peer;"
            + " each reachable member's hinted handoff (hints it holds for others, delivered,"
            + " expired).",
        "Last, the answering node's anti-entropy: hash trees built, exchanges (failed), keys"
            + " repaired, bytes sent and received, tree rebuilds, tombstones purged, the age of"
            + " the oldest full exchange (a partition exchanged with every co-replica; 'never'"
            + " while some partition was not) and the " + AntiEntropySection.STALEST
            + " partitions longest without one."},
    footer = {"", "Example:", "  kv --nodes 127.0.0.1:7001,127.0.0.1:7002 status"})
final class StatusCommand implements Callable<Integer> {
  private static final String ROW = "%-12s %-22s %-8s %6s %10s %10s %11s  %s%n";
  private static final String HINT_ROW = "%-12s %-8s %10s %12s %9s  %s%n";

  @ParentCommand
  KvCli kv;

  @Spec
  CommandSpec spec;

  /** One member's answer to the probe: its status, or why there is none. */
  private record Probe(ClusterStatus status, String verdict) {}

  @Override
  public Integer call() throws InterruptedException {
    ClusterStatus s;
    try (KvClient client = kv.client(spec)) {
      s = client.status();
    }
    List<Probe> probes = probe(s.members());
    PrintWriter out = spec.commandLine().getOut();
    out.println("answered by: " + s.nodeId());
    out.println("ring: " + s.partitionCount() + " partitions, epoch " + s.ringEpoch());
    out.println("defaults: N=" + s.n() + " R=" + s.r() + " W=" + s.w());
    out.println("members: " + s.members().size());
    out.printf(ROW, "NODE", "ADDRESS", "STATUS", "PHI", "HEARTBEAT", "PARTITIONS",
        "INCARNATION", "REACHABLE");
    for (int i = 0; i < s.members().size(); i++) {
      Member m = s.members().get(i);
      out.printf(ROW, m.nodeId() + (m.self() ? " *" : ""), m.address(), m.status(),
          m.self() ? "-" : String.format(Locale.ROOT, "%.1f", m.phi()), age(m),
          m.partitionsOwned(), m.incarnation() == 0 ? "-" : Long.toString(m.incarnation()),
          probes.get(i).verdict());
    }
    out.println("(* = the node that answered; HEARTBEAT = time since its last heartbeat answer)");
    printViews(out, s.members(), probes);
    printHints(out, s.members(), probes);
    AntiEntropySection.print(out, s);
    out.flush();
    return ExitCodes.OK;
  }

  /** The matrix of views: row = viewer, column = peer, cell = verdict and phi. */
  private static void printViews(PrintWriter out, List<Member> members, List<Probe> probes) {
    out.println();
    out.println("failure detector views (row: viewer, column: its verdict on each peer, phi):");
    StringBuilder header = new StringBuilder(String.format("%-12s", "VIEWER"));
    members.forEach(m -> header.append(String.format(" %-14s", m.nodeId())));
    out.println(header.toString().stripTrailing());
    for (int i = 0; i < members.size(); i++) {
      StringBuilder row = new StringBuilder(String.format("%-12s", members.get(i).nodeId()));
      ClusterStatus view = probes.get(i).status();
      if (view == null) {
        out.println(row + " (no answer: " + probes.get(i).verdict() + ")");
        continue;
      }
      for (Member peer : members) {
        row.append(String.format(" %-14s", cell(view, peer.nodeId())));
      }
      out.println(row.toString().stripTrailing());
    }
  }

  /** Each member's hint store: what it holds for whom, and what its handoff did. */
  private static void printHints(PrintWriter out, List<Member> members, List<Probe> probes) {
    out.println();
    out.println("hinted handoff (row: the node holding the hints):");
    out.printf(HINT_ROW, "HOLDER", "TARGET", "HINTS", "BYTES", "OLDEST", "REPAIR");
    for (int i = 0; i < members.size(); i++) {
      ClusterStatus view = probes.get(i).status();
      String holder = members.get(i).nodeId();
      if (view == null) {
        out.println(holder + " (no answer: " + probes.get(i).verdict() + ")");
        continue;
      }
      ClusterStatus.Hints h = view.hints();
      if (h.queues().isEmpty()) {
        out.printf(HINT_ROW, holder, "-", 0, 0, "-", "-");
      }
      for (ClusterStatus.HintQueue q : h.queues()) {
        out.printf(HINT_ROW, holder, q.targetNodeId(), q.hints(), q.bytes(),
            String.format(Locale.ROOT, "%.1fs", q.oldestAgeMillis() / 1000.0),
            q.needsRepair() ? "needed" : "-");
      }
      out.printf(Locale.ROOT, "%-12s delivered %d (%d bytes), replaying %.0f hints/s %.0f B/s,"
              + " expired %d, corrupt %d, torn %d, window %ds%n", "", h.delivered(),
          h.deliveredBytes(), h.replayHintsPerSecond(), h.replayBytesPerSecond(), h.expired(),
          h.corrupt(), h.torn(), h.windowMillis() / 1000);
    }
  }

  private static String cell(ClusterStatus view, String peer) {
    return view.members().stream().filter(m -> m.nodeId().equals(peer)).findFirst()
        .map(m -> m.self() ? "self" : m.status() + String.format(Locale.ROOT, " %.1f", m.phi()))
        .orElse("?");
  }

  private static String age(Member m) {
    return m.lastHeartbeatAgeMillis() < 0 ? "-"
        : String.format(Locale.ROOT, "%.1fs ago", m.lastHeartbeatAgeMillis() / 1000.0);
  }

  /** Probes every member in parallel; one answer per member, in order. */
  private List<Probe> probe(List<Member> members) throws InterruptedException {
    List<Probe> probes = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Probe>> futures = new ArrayList<>();
      for (Member m : members) {
        futures.add(pool.submit(() -> probe(m.address())));
      }
      for (Future<Probe> f : futures) {
        try {
          probes.add(f.get());
        } catch (ExecutionException e) {
          probes.add(new Probe(null, "no (" + e.getCause() + ")"));
        }
      }
    }
    return probes;
  }

  private Probe probe(String address) {
    try (KvClient client = kv.client(spec, List.of(address), 1)) {
      return new Probe(client.status(), "yes");
    } catch (KvException e) {
      return new Probe(null, e.unreachable() || e.code() == KvException.Code.DEADLINE_EXCEEDED
          ? "no (" + e.grpcCode() + ")"
          : "yes (answered " + e.grpcCode() + ")");
    } catch (RuntimeException e) {
      return new Probe(null, "no (" + e.getMessage() + ")");
    }
  }
}
