package io.kvstore.node.hints;

import java.nio.file.Path;

/**
 * A hint as read back for replay, with where it lies: {@code position} is where its record starts,
 * {@code next} where the following record starts (checkpoint {@code next} once it is delivered).
 *
 * <p>Immutable value; thread safe.
 */
public record HintRecord(Hint hint, Path file, HintPosition position, HintPosition next) {}
