package io.kvstore.client.cli;

import io.kvstore.client.ClusterStatus;
import io.kvstore.client.ClusterStatus.Member;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kv status}: the cluster as one node sees it, plus a reachability probe per member. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
        "Prints the cluster as the first reachable node of --nodes sees it: the ring (partitions,"
            + " epoch), the replication defaults N/R/W, and every member with its id, address,"
            + " status from the node's failure detector, partitions owned and incarnation.",
        "REACHABLE is this client's own probe of each member's address (a status call with"
            + " the --timeout deadline): 'yes', or 'no' and why."},
    footer = {"", "Example:", "  kv --nodes 127.0.0.1:7001,127.0.0.1:7002 status"})
final class StatusCommand implements Callable<Integer> {
  private static final String ROW = "%-12s %-22s %-8s %10s %11s  %s%n";

  @ParentCommand
  KvCli kv;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    ClusterStatus s;
    try (KvClient client = kv.client(spec)) {
      s = client.status();
    }
    List<String> health = probe(s.members());
    PrintWriter out = spec.commandLine().getOut();
    out.println("answered by: " + s.nodeId());
    out.println("ring: " + s.partitionCount() + " partitions, epoch " + s.ringEpoch());
    out.println("defaults: N=" + s.n() + " R=" + s.r() + " W=" + s.w());
    out.println("members: " + s.members().size());
    out.printf(ROW, "NODE", "ADDRESS", "STATUS", "PARTITIONS", "INCARNATION", "REACHABLE");
    for (int i = 0; i < s.members().size(); i++) {
      Member m = s.members().get(i);
      out.printf(ROW, m.nodeId() + (m.self() ? " *" : ""), m.address(), m.status(),
          m.partitionsOwned(), m.incarnation() == 0 ? "-" : Long.toString(m.incarnation()),
          health.get(i));
    }
    out.println("(* = the node that answered)");
    out.flush();
    return ExitCodes.OK;
  }

  /** Probes every member in parallel; one line of verdict per member, in order. */
  private List<String> probe(List<Member> members) throws InterruptedException {
    List<String> verdicts = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> futures = new ArrayList<>();
      for (Member m : members) {
        futures.add(pool.submit(() -> probe(m.address())));
      }
      for (Future<String> f : futures) {
        try {
          verdicts.add(f.get());
        } catch (ExecutionException e) {
          verdicts.add("no (" + e.getCause() + ")");
        }
      }
    }
    return verdicts;
  }

  private String probe(String address) {
    try (KvClient client = kv.client(spec, List.of(address), 1)) {
      client.status();
      return "yes";
    } catch (KvException e) {
      return e.unreachable() || e.code() == KvException.Code.DEADLINE_EXCEEDED
          ? "no (" + e.grpcCode() + ")"
          : "yes (answered " + e.grpcCode() + ")";
    } catch (RuntimeException e) {
      return "no (" + e.getMessage() + ")";
    }
  }
}
