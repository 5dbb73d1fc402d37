package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.History;

/**
 * Judges a recorded history against one property of FAULT-SUITE.md ("Checkers"). A checker is
 * a pure function of the history and its constructor parameters: no I/O, no clock.
 *
 * <p>Thread safety: implementations are immutable and may be shared.
 */
public interface Checker {
  CheckResult check(History history);
}
