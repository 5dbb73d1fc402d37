/**
 * Pictures of a run for people: {@link io.kvstore.clustertests.timeline.TimelinePng} draws
 * operation latency over time, colored by outcome, with fault windows shaded; {@link
 * io.kvstore.clustertests.timeline.Scale} maps data to pixels and picks ticks.
 *
 * <p>Plain {@code BufferedImage}/{@code Graphics2D}: works in a headless JVM, no display needed.
 */
package io.kvstore.clustertests.timeline;
