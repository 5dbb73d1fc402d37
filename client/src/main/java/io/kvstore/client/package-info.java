/**
 * The Java client of kvstore.
 *
 * <ul>
 *   <li>{@link io.kvstore.client.KvClient}: the thread-safe client (get, put, delete, status,
 *       update, repair), with node failover, hedged reads and per-attempt deadlines;
 *   <li>node selection, package-private: {@code NodeSelector} (which node gets an attempt, hedge
 *       delay, probes due) over one {@code NodeHealth} per node, a deterministic core with a
 *       {@code Clock} and a seeded random; {@code Call} runs one call's attempts ({@code Attempt},
 *       async stubs) and {@code Prober} sends health-check probes to suspects; token-aware
 *       routing: {@code RingTracker} learns the ring from status answers, {@code ReplicaMap}
 *       maps a key to the endpoints that replicate it (ring's {@code Partitioner}); {@code RepairCall}
 *       runs one node's Admin.Repair stream, outside that routing;
 *   <li>{@link io.kvstore.client.Context}: the opaque causal context a read returns and a write
 *       takes back, with its base64 string form;
 *   <li>{@link io.kvstore.client.GetResult}, {@link io.kvstore.client.PutResult},
 *       {@link io.kvstore.client.DeleteResult}, {@link io.kvstore.client.ClusterStatus},
 *       {@link io.kvstore.client.RepairProgress}, {@link io.kvstore.client.RepairResult}: answers;
 *   <li>{@link io.kvstore.client.ReadOptions}, {@link io.kvstore.client.WriteOptions}: quorum
 *       overrides; {@link io.kvstore.client.RepairOptions}: partitions, peer and deadline of a
 *       repair;
 *   <li>{@link io.kvstore.client.Resolver}: application merge of siblings, for update;
 *   <li>{@link io.kvstore.client.KvException}: every failure, with its status code.
 * </ul>
 *
 * <p>The {@code kv} command-line tool is in {@code io.kvstore.client.cli}.
 */
package io.kvstore.client;
