package io.kvstore.client.cli;

import io.kvstore.client.ClusterStatus;
import io.kvstore.client.ClusterStatus.Member;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import io.kvstore.client.RepairOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kv repair}: runs anti-entropy now (Admin.Repair) on every member in turn, or on one, and
 * prints each exchange as it finishes ({@link RepairPrinter}). The members and their addresses
 * come from the cluster status of the node the tool connects to.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
    description = {
        "Runs anti-entropy now: a node compares the hash tree of each partition it replicates"
            + " with each co-replica's and exchanges the keys that differ, both ways. Without"
            + " --node every member of the cluster repairs in turn (members and addresses from the"
            + " cluster status of the first reachable node of --nodes); with --node only that one.",
        "Prints a line per exchange as it finishes: partitions that differed (segments, keys"
            + " repaired, bytes sent and received, time, [done/total]) and failed exchanges"
            + " (FAILED: why; the repair goes on). Identical partitions are shown only with"
            + " --verbose; otherwise a progress line about every tenth of a node's exchanges."
            + " Then a summary per node and the totals.",
        "Exit code 0 when every exchange completed; 3 when an exchange failed (e.g. a"
            + " co-replica down) or a node could not be reached, or the code of that node's"
            + " error (4 deadline, 5 refused, ...); the first failure decides. A node and its"
            + " co-replica exchange both ways, so repairing every member covers each pair twice;"
            + " the second pass finds them identical and costs little."},
    footer = {"", "Examples:",
        "  kv repair                              # every member, every partition",
        "  kv repair --node n2 --peer n3          # n2's partitions shared with n3",
        "  kv repair --partition 17 --partition 40 --verbose"})
final class RepairCommand implements Callable<Integer> {
  @ParentCommand
  KvCli kv;

  @Spec
  CommandSpec spec;

  @Option(names = "--partition", paramLabel = "P", split = ",",
      description = "Repair only this partition (0..Q-1); repeatable, or comma-separated."
          + " Default: every partition each node replicates.")
  List<String> partitions = new ArrayList<>();

  @Option(names = "--node", paramLabel = "ID",
      description = "Repair only on this member (its node id, e.g. n2). Default: every member.")
  String node;

  @Option(names = "--peer", paramLabel = "ID",
      description = "Exchange only with this co-replica (node id). Default: every co-replica."
          + " Without --node, every other member repairs with it.")
  String peer;

  @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "1h",
      description = "Deadline of each node's repair (default: ${DEFAULT-VALUE}); --timeout"
          + " bounds the cluster status call.")
  Duration deadline;

  @Override
  public Integer call() {
    List<Integer> parts = partitionNumbers();
    if (deadline.isNegative() || deadline.isZero()) {
      throw Args.usage(spec, "--deadline must be positive");
    }
    if (node != null && node.equals(peer)) {
      throw Args.usage(spec, "--peer " + peer + " is the --node itself");
    }
    ClusterStatus status;
    try (KvClient client = kv.client(spec)) {
      status = client.status();
    }
    List<Member> targets = targets(status, parts);
    RepairOptions options = RepairOptions.ALL.withPartitions(parts).withPeer(peer)
        .withDeadline(deadline);
    PrintWriter out = spec.commandLine().getOut();
    RepairPrinter printer = new RepairPrinter(out, kv.verbose());
    for (Member m : targets) {
      if (m.nodeId().equals(peer)) {
        out.println(m.nodeId() + ": skipped (it is the --peer)");
        continue;
      }
      repair(m, options, printer);
    }
    printer.finish(spec.commandLine().getErr());
    return printer.exitCode();
  }

  private void repair(Member m, RepairOptions options, RepairPrinter printer) {
    printer.nodeStarted(m.nodeId(), m.address(), scope(options));
    try (KvClient client = kv.client(spec, List.of(m.address()), 1)) {
      printer.nodeFinished(m.nodeId(),
          client.repair(m.address(), options, p -> printer.exchanged(m.nodeId(), p)));
    } catch (KvException e) {
      printer.nodeFailed(m.nodeId(), e);
      if (kv.verbose()) {
        e.printStackTrace(spec.commandLine().getErr());
      }
    } catch (RuntimeException e) { // a member address the client cannot use
      printer.nodeFailed(m.nodeId(), e.getMessage(), ExitCodes.OTHER);
    }
  }

  /** --partition values as numbers, each once, in order; usage error naming a bad one. */
  private List<Integer> partitionNumbers() {
    TreeSet<Integer> numbers = new TreeSet<>();
    for (String p : partitions) {
      try {
        int n = Integer.parseInt(p.strip());
        if (n < 0) {
          throw new NumberFormatException();
        }
        numbers.add(n);
      } catch (NumberFormatException e) {
        throw Args.usage(spec, "--partition: '" + p + "' is not a partition number (0, 1, ...)");
      }
    }
    return List.copyOf(numbers);
  }

  /** The members to repair; usage errors for partitions or node ids the cluster does not have. */
  private List<Member> targets(ClusterStatus s, List<Integer> parts) {
    int q = s.partitionCount();
    for (int p : parts) {
      if (q > 0 && p >= q) {
        throw Args.usage(spec, "--partition " + p + " is out of range: the ring has " + q
            + " partitions (0.." + (q - 1) + ")");
      }
    }
    if (peer != null) {
      member(s, "--peer", peer);
    }
    return node == null ? s.members() : List.of(member(s, "--node", node));
  }

  private Member member(ClusterStatus s, String option, String id) {
    return s.members().stream().filter(m -> m.nodeId().equals(id)).findFirst()
        .orElseThrow(() -> Args.usage(spec, option + " " + id + " is not a member of the"
            + " cluster (members: " + s.members().stream().map(Member::nodeId)
            .collect(Collectors.joining(", ")) + ")"));
  }

  private static String scope(RepairOptions o) {
    String which = o.partitions().isEmpty() ? "every partition it replicates"
        : (o.partitions().size() == 1 ? "partition " : "partitions ")
            + o.partitions().stream().map(String::valueOf).collect(Collectors.joining(", "));
    return which + " with " + (o.peerNodeId().isEmpty() ? "every co-replica" : o.peerNodeId());
  }
}
