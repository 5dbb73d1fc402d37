/**
 * YCSB bindings of kvstore and of Apache Cassandra, and what scripts/ycsb-compare.sh needs to run
 * them against each other.
 *
 * <ul>
 *   <li>{@link io.kvstore.bench.ycsb.KvStoreYcsbClient} with {@code KvStoreSession} (one shared
 *       {@code KvClient}), {@link io.kvstore.bench.ycsb.FieldCodec} (records as values,
 *       FORMAT.md) and {@link io.kvstore.bench.ycsb.SiblingMerge} (sibling resolution);
 *   <li>{@link io.kvstore.bench.ycsb.CassandraYcsbClient} with {@code CassandraSession} (one
 *       shared {@code CqlSession}) and {@code CqlStatements};
 *   <li>{@code SharedSessionDb} (what both bindings share: init and cleanup of the session, scan,
 *       errors), {@code SharedResource} (reference-counted sessions) and {@code ErrorLog} (first
 *       error of a kind);
 *   <li>the Cassandra peer: {@link io.kvstore.bench.ycsb.CassandraPeer} (command line),
 *       {@code CassandraCluster} (node processes), {@code CassandraNodeConfig}
 *       (cassandra.yaml), {@code CassandraJvm} (JDK 17 command line);
 *   <li>{@link io.kvstore.bench.ycsb.YcsbComparison} and {@code YcsbResult}: the tables.
 * </ul>
 */
package io.kvstore.bench.ycsb;
