package io.kvstore.node.coord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.node.NodeError;
import io.kvstore.ring.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Quorum bookkeeping: W counts every ack, PW only primaries' (a fallback's ack is not a
 * primary's); a quorum that became impossible fails at once; a slow target counts as failed for
 * that decision but its late answer still counts; the deadline is DEADLINE_EXCEEDED.
 */
class QuorumTest {
  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");
  private static final NodeId C = NodeId.of("c");
  private static final NodeId FALLBACK = NodeId.of("d");

  private static Quorum<String, Integer> quorum(int w, int pw) {
    return new Quorum<>(List.of(A, B, C, FALLBACK), Set.of(A, B, C), w, pw, "acknowledged",
        Quorum.Replacements.NONE, Quorum::successCount);
  }

  private static NodeError error(Quorum<String, Integer> q) {
    try {
      q.result.join();
    } catch (CompletionException e) {
      return (NodeError) e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void aFallbackAckCountsTowardWButNotTowardPw() {
    Quorum<String, Integer> q = quorum(2, 2);
    q.success(FALLBACK, "hint");
    q.success(A, "x");
    assertFalse(q.result.isDone(), "two acks but one primary");
    assertEquals(1, q.primarySuccessCount());
    q.success(B, "x");
    assertEquals(3, q.result.join());
  }

  @Test
  void failsAsSoonAsThePrimaryQuorumIsImpossible() {
    Quorum<String, Integer> q = quorum(2, 2);
    q.success(FALLBACK, "hint");
    q.failure(A, "refused");
    assertFalse(q.result.isDone());
    q.failure(B, "refused");
    NodeError e = error(q);
    assertEquals(NodeError.Code.UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("2 required (2 of them primary)"), e.getMessage());
  }

  @Test
  void aSlowTargetCountsAsFailedForTheDecisionButItsLateAnswerStillCounts() {
    Quorum<String, Integer> q = quorum(2, 0);
    q.success(A, "x");
    q.slow(C, "no answer within 100 ms"); // B and D are slow now, C is not
    assertFalse(q.result.isDone(), "C may still answer");
    q.success(B, "x"); // late, but before the quorum was given up
    assertEquals(2, q.result.join());
    assertEquals(0, q.sloppyCount());

    Quorum<String, Integer> hopeless = quorum(2, 0);
    hopeless.failure(C, "refused");
    hopeless.failure(FALLBACK, "refused");
    hopeless.success(A, "x");
    hopeless.slow(A, "no answer within 100 ms");
    assertTrue(error(hopeless).getMessage().contains("b=no answer within 100 ms"));
    assertFalse(hopeless.allDone.isDone(), "read repair still waits for the slow one");
  }

  @Test
  void aFallbackCompletesTheQuorumOnlyInPlaceOfALostPrimary() {
    Quorum<String, Integer> q = quorum(2, 0);
    q.success(FALLBACK, "hint");
    q.success(A, "x");
    assertFalse(q.result.isDone(), "B and C may still answer: primaries first");
    q.failure(C, "refused");
    assertFalse(q.result.isDone(), "B may still answer");
    q.slow(A, "no answer within 100 ms");
    assertEquals(2, q.result.join());
    assertEquals(1, q.sloppyCount(), "one of the two acks W needed was the fallback's");

    Quorum<String, Integer> strict = quorum(2, 0);
    strict.success(FALLBACK, "hint");
    strict.success(A, "x");
    strict.success(B, "x");
    assertEquals(3, strict.result.join());
    assertEquals(0, strict.sloppyCount(), "two primaries acked: not sloppy");
  }

  @Test
  void aLostTargetIsReplacedOnceWhileTheRequestRuns() {
    List<NodeId> recruited = new ArrayList<>();
    List<NodeId> launched = new ArrayList<>();
    java.util.ArrayDeque<NodeId> spares = new java.util.ArrayDeque<>(List.of(FALLBACK,
        NodeId.of("e")));
    Quorum.Replacements r = new Quorum.Replacements() {
      @Override
      public NodeId replace(NodeId lost) {
        NodeId f = spares.poll();
        if (f != null) {
          recruited.add(lost);
        }
        return f;
      }

      @Override
      public void launch(NodeId replacement) {
        launched.add(replacement);
      }
    };
    Quorum<String, Integer> q = new Quorum<>(List.of(A, B, C), Set.of(A, B, C), 2, 0,
        "acknowledged", r, Quorum::successCount);
    q.success(A, "x");
    q.failure(C, "down");
    assertEquals(List.of(C), recruited);
    assertEquals(List.of(FALLBACK), launched);
    q.slow(A, "no answer within 100 ms"); // B and the fallback are slow: both replaced?
    assertEquals(List.of(C, B), recruited, "only one spare was left");
    q.failure(B, "late refusal"); // already replaced when it went slow
    assertEquals(2, launched.size());
    q.success(NodeId.of("e"), "hint");
    assertEquals(2, q.result.join());
    assertEquals(1, q.sloppyCount());
  }

  @Test
  void theDeadlineIsDeadlineExceeded() {
    Quorum<String, Integer> q = quorum(2, 0);
    q.success(A, "x");
    q.expire();
    assertEquals(NodeError.Code.DEADLINE_EXCEEDED, error(q).code());
    assertTrue(q.allDone.isDone());
  }
}
