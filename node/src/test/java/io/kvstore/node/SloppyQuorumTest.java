package io.kvstore.node;

import static io.kvstore.node.ReplicatedStoreTest.bytes;
import static io.kvstore.node.ReplicatedStoreTest.get;
import static io.kvstore.node.ReplicatedStoreTest.put;
import static io.kvstore.node.ReplicatedStoreTest.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvstore.proto.GetResponse;
import io.kvstore.proto.HintQueue;
import io.kvstore.proto.MemberStatus;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.PutResponse;
import io.kvstore.proto.WriteOptions;
import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.testing.FileCorruptor;
import io.kvstore.node.hints.HintFixtures;
import io.kvstore.node.hints.HintRecord;
import io.kvstore.node.hints.HintStore;
import io.kvstore.node.time.Clock;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.ring.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sloppy quorum over real nodes and real gRPC (DESIGN.md section 4): with primaries of a key down,
 * writes go to the next nodes of the preference list as durable hints, count toward W (not PW),
 * say they were sloppy, and reads see them through the fallbacks.
 */
class SloppyQuorumTest {
  @TempDir Path root;

  private static String id(int i) {
    return "n" + (i + 1);
  }

  /** Stops two of the key's three primaries and waits until the third sees both down. */
  private static void stopTwoPrimaries(TestCluster c, List<Integer> pref) throws Exception {
    for (int i = 0; i < c.size(); i++) {
      for (int j = 0; j < c.size(); j++) {
        if (i != j) {
          c.awaitMember(i, id(j), MemberStatus.MEMBER_STATUS_UP, 10_000);
        }
      }
    }
    c.stop(pref.get(1));
    c.stop(pref.get(2));
    for (int i : List.of(pref.get(0), pref.get(3), pref.get(4))) {
      c.awaitMember(i, id(pref.get(1)), MemberStatus.MEMBER_STATUS_DOWN, 3_000);
      c.awaitMember(i, id(pref.get(2)), MemberStatus.MEMBER_STATUS_DOWN, 3_000);
    }
  }

  private static List<String> liveValues(SiblingSet s) {
    return s.liveValues().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void withTwoOfThreePrimariesDownW2WritesSucceedSloppilyPw2FailsAndReadsSeeTheHints()
      throws Exception {
    try (TestCluster c = new TestCluster(root, 5)) {
      byte[] key = bytes("sloppy");
      List<Integer> pref = c.preference(key);
      int primary = pref.get(0);
      stopTwoPrimaries(c, pref);

      // W=2 through the one live primary and a fallback, from any node (a fallback forwards).
      PutResponse direct = put(c, primary, key, "one", ByteString.EMPTY, 2);
      assertEquals(1, direct.getSloppyAcks(), direct.toString());
      assertTrue(direct.getAcks() >= 2, direct.toString());
      PutResponse forwarded = put(c, pref.get(4), key, "two", direct.getContext(), 2);
      assertEquals(1, forwarded.getSloppyAcks(), forwarded.toString());

      // PW=2 asks for two primaries: refused up front, nothing written.
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> c.kv(primary).put(PutRequest.newBuilder().setKey(ByteString.copyFrom(key))
              .setValue(ByteString.copyFromUtf8("strict"))
              .setOptions(WriteOptions.newBuilder().setW(2).setPw(2)).build()));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("2 of them primary"),
          e.getStatus().getDescription());
      Metadata trailers = e.getTrailers();
      assertEquals("1", trailers.get(Metadata.Key.of("kv-not-applied",
          Metadata.ASCII_STRING_MARSHALLER)), "the client may move a not-applied write on");

      // A read of R=2 counts a fallback's hints in place of a down primary.
      GetResponse read = get(c, pref.get(3), key, 2);
      assertEquals(List.of("two"), values(read));
      assertEquals(1, read.getSloppyReplies(), read.toString());

      // The hints are the fallbacks' own business: never in their replica data.
      assertTrue(c.local(pref.get(3), key).getSiblingsList().isEmpty());
      assertTrue(c.local(pref.get(4), key).getSiblingsList().isEmpty());

      // They survive a kill -9 of a fallback: its restart rebuilds what reads see.
      assertEquals(List.of("two"), liveValues(c.replicaRead(pref.get(3), key)));
      c.crash(pref.get(3));
      c.restart(pref.get(3));
      assertEquals(List.of("two"), liveValues(c.replicaRead(pref.get(3), key)));
      c.stop(pref.get(4)); // the only other node that could answer in its place
      c.awaitMember(primary, id(pref.get(4)), MemberStatus.MEMBER_STATUS_DOWN, 3_000);
      c.awaitMember(primary, id(pref.get(3)), MemberStatus.MEMBER_STATUS_UP, 10_000);
      GetResponse after = get(c, primary, key, 2);
      assertEquals(List.of("two"), values(after));
      assertEquals(1, after.getSloppyReplies());
    }
  }

  /** Undelivered hints node i holds, over every target. */
  private static long queued(TestCluster c, int i) {
    return c.status(i).getHints().getQueuesList().stream().mapToLong(HintQueue::getHints).sum();
  }

  private static void await(String what, BooleanSupplier done, long timeoutMillis)
      throws InterruptedException {
    await(what, done, timeoutMillis, () -> "");
  }

  private static void await(String what, BooleanSupplier done, long timeoutMillis,
      Supplier<String> state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + " " + state.get());
      }
      Thread.sleep(100);
    }
  }

  @Test
  void hintsSurviveAKillOfTheirFallbackAndReachTheOwnersWithoutAnyRead() throws Exception {
    try (TestCluster c = new TestCluster(root, 5)) {
      List<byte[]> keys = c.keysLike(bytes("handoff"), 40);
      List<Integer> pref = c.preference(keys.getFirst());
      int primary = pref.get(0);
      stopTwoPrimaries(c, pref);
      for (int k = 0; k < keys.size(); k++) {
        PutResponse r = put(c, primary, keys.get(k), "v" + k, ByteString.EMPTY, 2);
        assertEquals(1, r.getSloppyAcks(), r.toString());
      }
      // One hint per key and down primary, on the first two fallbacks (the second one's may
      // still be on its way: W=2 needed only one).
      await("a hint per key and down primary", () -> queued(c, pref.get(3))
          + queued(c, pref.get(4)) == 2L * keys.size(), 5_000,
          () -> c.status(pref.get(3)).getHints() + " / " + c.status(pref.get(4)).getHints());
      var status = c.status(pref.get(3)).getHints();
      assertTrue(status.getQueuesCount() >= 1, status.toString());

      c.crash(pref.get(3)); // kill -9: no flush, no goodbye
      c.restart(pref.get(3));
      c.restart(pref.get(1));
      c.restart(pref.get(2));
      // No client reads from here on: the hints alone must bring the owners up to date.
      for (int owner : List.of(pref.get(1), pref.get(2))) {
        await("n" + (owner + 1) + " holds every hinted write", () -> {
          for (int k = 0; k < keys.size(); k++) {
            List<String> local = c.local(owner, keys.get(k)).getSiblingsList().stream()
                .filter(s -> !s.getTombstone()).map(s -> s.getValue().toStringUtf8()).toList();
            if (!local.equals(List.of("v" + k))) {
              return false;
            }
          }
          return true;
        }, 30_000);
      }
      await("every hint queue is empty", () -> queued(c, pref.get(3)) == 0
          && queued(c, pref.get(4)) == 0, 10_000);
      long delivered = c.status(pref.get(3)).getHints().getDelivered()
          + c.status(pref.get(4)).getHints().getDelivered();
      assertTrue(delivered >= keys.size(), "delivered " + delivered);
      // Delivered hints leave the fallbacks' read index.
      assertTrue(c.replicaRead(pref.get(4), keys.getFirst()).isEmpty());
    }
  }

  @Test
  void aHintSegmentWithAFlippedBitAndATornTailDeliversEveryGoodRecord() throws Exception {
    try (TestCluster c = new TestCluster(root, 5)) {
      List<byte[]> keys = c.keysLike(bytes("damaged"), 30);
      List<Integer> pref = c.preference(keys.getFirst());
      stopTwoPrimaries(c, pref);
      for (int k = 0; k < keys.size(); k++) {
        put(c, pref.get(0), keys.get(k), "v" + k, ByteString.EMPTY, 2);
      }
      int fallback = pref.get(3); // holds the hints of the first down primary
      int owner = pref.get(1);
      NodeId ownerId = NodeId.of(id(owner));
      await("the fallback holds a hint per key", () -> c.status(fallback).getHints()
          .getQueuesList().stream().anyMatch(q -> q.getTargetNodeId().equals(ownerId.id())
              && q.getHints() == keys.size()), 5_000,
          () -> c.status(fallback).getHints().toString());
      c.stop(fallback);

      // Damage its segment as a disk would: a flipped bit inside one record, a torn last one.
      Path hintDir = c.dataDir(fallback).resolve("hints");
      List<HintRecord> written;
      try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, hintDir, Clock.system(),
          HintStore.DEFAULT_SEGMENT_BYTES)) {
        written = HintFixtures.readAll(store.reader(ownerId, 0));
      }
      assertEquals(keys.size(), written.size());
      HintRecord victim = written.get(10);
      HintRecord last = written.getLast();
      FileCorruptor.flipBit(victim.file(), victim.position().offset() + 20, 3);
      FileCorruptor.truncate(last.file(), last.position().offset() + 7);
      Set<String> damaged = Set.of(new String(victim.hint().key(), StandardCharsets.UTF_8),
          new String(last.hint().key(), StandardCharsets.UTF_8));

      c.restart(fallback);
      c.restart(owner);
      // The good hints are handed off; the two lost ones flag the owner, and anti-entropy
      // (asked for by the fallback) brings those two keys from the primary that took them.
      await(id(owner) + " holds every write, the lost hints' included", () -> {
        for (byte[] key : keys) {
          if (!c.local(owner, key).getPresent()) {
            return false;
          }
        }
        return c.status(fallback).getHints().getQueuesList().stream()
            .noneMatch(q -> q.getTargetNodeId().equals(id(owner)));
      }, 30_000);
      var h = c.status(fallback).getHints();
      assertEquals(1, h.getCorrupt(), h.toString());
      assertEquals(1, h.getTorn(), h.toString());
      assertEquals(keys.size() - damaged.size(), h.getDelivered(), h.toString());
    }
  }

  /**
   * An outage longer than the hint window (LESSONS.md, Hints): the hint is dropped, never
   * delivered, and its owner flagged; once the owner is back the fallback asks it to repair, and
   * anti-entropy brings it the write from the primary that took it.
   */
  @Test
  void hintsOlderThanTheWindowAreDroppedAndTheOwnerRepairedByAntiEntropy() throws Exception {
    try (TestCluster c = new TestCluster(root, 5, "hints.window_ms=1500",
        "handoff.sweep_interval_ms=200")) {
      byte[] key = bytes("too-late");
      List<Integer> pref = c.preference(key);
      stopTwoPrimaries(c, pref);
      assertEquals(1, put(c, pref.get(0), key, "old", ByteString.EMPTY, 2).getSloppyAcks());
      int fallback = pref.get(3);
      String owner = "n" + (pref.get(1) + 1);
      await("the hint expired and " + owner + " needs repair", () -> {
        var h = c.status(fallback).getHints();
        return h.getExpired() >= 1 && h.getQueuesList().stream().anyMatch(
            q -> q.getTargetNodeId().equals(owner) && q.getNeedsRepair() && q.getHints() == 0);
      }, 10_000);
      c.restart(pref.get(1));
      c.awaitMember(fallback, owner, MemberStatus.MEMBER_STATUS_UP, 10_000);
      await(owner + " got the write from its co-replicas and the flag is cleared", () ->
          c.local(pref.get(1), key).getSiblingsCount() == 1
              && c.status(fallback).getHints().getQueuesList().stream()
                  .noneMatch(q -> q.getTargetNodeId().equals(owner)), 20_000);
      assertEquals(0, c.status(fallback).getHints().getDelivered(),
          "an expired hint is never delivered");
      long repaired = 0;
      for (int i = 0; i < c.size(); i++) {
        repaired += c.running(i) ? c.status(i).getAntiEntropy().getKeysRepaired() : 0;
      }
      assertTrue(repaired >= 1, "anti-entropy brought it (keys repaired over the nodes)");
    }
  }
}
