package io.kvstore.client.cli;

import io.kvstore.client.KvException;
import io.kvstore.client.RepairProgress;
import io.kvstore.client.RepairResult;
import java.io.PrintWriter;

/**
 * The output of {@code kv repair}, and what it adds up: a line per exchange as it finishes (an
 * identical one only when verbose; otherwise a progress counter about every tenth of a node's
 * exchanges), a summary per node, totals for the run, and the exit code: that of the first
 * failure (3 for a failed exchange), else 0. Not thread safe: progress arrives on the thread
 * that runs the repairs, one node at a time.
 */
final class RepairPrinter {
  private final PrintWriter out;
  private final boolean verbose;
  private int nodes;
  private int nodesFailed;
  private long exchanges;
  private long exchangesFailed;
  private long keys;
  private long sent;
  private long received;
  private int exitCode = ExitCodes.OK;
  // The node being repaired: identical exchanges not shown, and the tenth last reported.
  private long identical;
  private boolean hidden;
  private int tenth;

  RepairPrinter(PrintWriter out, boolean verbose) {
    this.out = out;
    this.verbose = verbose;
  }

  void nodeStarted(String node, String address, String scope) {
    nodes++;
    identical = 0;
    hidden = false;
    tenth = 0;
    out.println(node + " (" + address + "): repairing " + scope);
  }

  void exchanged(String node, RepairProgress p) {
    String where = node + " partition " + p.partition()
        + (p.peerNodeId().isEmpty() ? "" : " <-> " + p.peerNodeId());
    String count = " [" + p.done() + "/" + p.total() + "]";
    int nowTenth = p.total() == 0 ? 10 : (int) (10L * p.done() / p.total());
    if (p.failed()) {
      setExit(ExitCodes.UNAVAILABLE);
      out.println(where + ": FAILED: " + p.error() + count);
    } else if (!p.identical()) {
      out.println(where + ": " + plural(p.segmentsDiffering(), "segment differs", "segments differ")
          + ", " + plural(p.keysRepaired(), "key", "keys") + " repaired, "
          + Units.bytes(p.bytesSent()) + " sent, " + Units.bytes(p.bytesReceived())
          + " received, " + Units.millis(p.millis()) + count);
    } else if (verbose) {
      out.println(where + ": identical, " + Units.millis(p.millis()) + count);
    } else {
      hidden = true;
    }
    identical += p.identical() ? 1 : 0;
    if (hidden && nowTenth > tenth) {
      out.println(node + ": " + p.done() + "/" + p.total() + " exchanges done, " + identical
          + " identical");
      hidden = false;
    }
    tenth = nowTenth;
    out.flush();
  }

  void nodeFinished(String node, RepairResult r) {
    exchanges += r.exchanges();
    exchangesFailed += r.failed();
    keys += r.keysRepaired();
    sent += r.bytesSent();
    received += r.bytesReceived();
    out.println(node + " done: " + r.exchanges() + " exchanges (" + r.failed() + " failed), "
        + plural(r.keysRepaired(), "key", "keys") + " repaired, " + Units.bytes(r.bytesSent())
        + " sent, " + Units.bytes(r.bytesReceived()) + " received, "
        + Units.millis(r.millis()) + " in exchanges");
    out.flush();
  }

  void nodeFailed(String node, KvException e) {
    nodeFailed(node, e.getMessage(), ExitCodes.of(e));
  }

  void nodeFailed(String node, String message, int code) {
    nodesFailed++;
    setExit(code);
    out.println(node + ": FAILED: " + message);
    out.flush();
  }

  /** The totals line; when anything failed, an error line on {@code err}. */
  void finish(PrintWriter err) {
    out.println("total: " + plural(nodes, "node", "nodes") + " (" + nodesFailed + " failed), "
        + exchanges
        + " exchanges (" + exchangesFailed + " failed), " + plural(keys, "key", "keys")
        + " repaired, " + Units.bytes(sent) + " sent, " + Units.bytes(received) + " received");
    out.flush();
    if (exitCode != ExitCodes.OK) {
      err.println("error: repair incomplete: " + exchangesFailed + " of " + exchanges
          + " exchanges failed, " + nodesFailed + " of " + plural(nodes, "node", "nodes")
          + " could not be repaired");
      err.flush();
    }
  }

  int exitCode() {
    return exitCode;
  }

  private void setExit(int code) {
    if (exitCode == ExitCodes.OK) {
      exitCode = code;
    }
  }

  private static String plural(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
