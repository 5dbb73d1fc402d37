package io.kvstore.client.cli;

import java.time.Duration;

/**
 * The parameters of one {@code kv bench} run, validated by {@link BenchCommand}. Immutable.
 *
 * @param keys how many distinct keys, chosen uniformly
 * @param valueSize bytes per written value
 * @param readRatio fraction of operations that are reads, 0..1
 * @param concurrency worker threads, each with one request in flight
 * @param duration the measured phase
 * @param warmup load before measuring, not recorded
 * @param preload write every key once before the warm-up
 * @param keyPrefix keys are prefix + index
 * @param seed seeds the workers' random choices (worker i uses seed + i)
 */
record BenchConfig(
    int keys,
    int valueSize,
    double readRatio,
    int concurrency,
    Duration duration,
    Duration warmup,
    boolean preload,
    String keyPrefix,
    long seed) {}
