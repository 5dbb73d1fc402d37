package io.kvstore.bench.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraConfigTest {
  private static final CassandraNodeConfig.Ports PORTS = CassandraNodeConfig.Ports.STANDARD;

  @Test
  void durabilityMapsToTheCommitLogSyncModes() {
    String periodic = node(1, 3, CassandraPeer.periodicMillis("periodic:10000")).yaml();
    assertTrue(periodic.contains("commitlog_sync: periodic\ncommitlog_sync_period: 10000ms\n"), periodic);
    String batch = node(1, 3, CassandraPeer.periodicMillis("batch")).yaml();
    assertTrue(batch.contains("commitlog_sync: batch\n") && !batch.contains("commitlog_sync_period"), batch);
    assertThrows(IllegalArgumentException.class, () -> CassandraPeer.periodicMillis("group"));
    assertThrows(IllegalArgumentException.class, () -> CassandraPeer.periodicMillis("periodic:0"));
  }

  @Test
  void tokensCutTheRingEvenlyAndAddressesAreLoopbackAliases() {
    BigInteger third = BigInteger.ONE.shiftLeft(64).divide(BigInteger.valueOf(3));
    assertEquals(Long.MIN_VALUE, node(1, 3, 0).token());
    assertEquals(BigInteger.valueOf(Long.MIN_VALUE).add(third).longValueExact(), node(2, 3, 0).token());
    assertEquals(BigInteger.valueOf(Long.MIN_VALUE).add(third.shiftLeft(1)).longValueExact(),
        node(3, 3, 0).token());
    String yaml = node(3, 3, 0).yaml();
    assertTrue(yaml.contains("listen_address: 127.0.0.3\n") && yaml.contains("seeds: \"127.0.0.1:7000\""), yaml);
    assertThrows(IllegalArgumentException.class, () -> node(4, 3, 0));
  }

  @Test
  void statementsBindFieldsInSortedOrderAndRefuseOddNames() {
    assertEquals("INSERT INTO usertable (y_id, field0, field1) VALUES (?, ?, ?)",
        CqlStatements.insert("usertable", List.of("field1", "field0")));
    assertEquals("UPDATE usertable SET field0 = ?, field2 = ? WHERE y_id = ?",
        CqlStatements.update("usertable", List.of("field2", "field0")));
    assertEquals("SELECT * FROM usertable WHERE y_id = ?", CqlStatements.select("usertable", null));
    assertEquals("CREATE TABLE IF NOT EXISTS ycsb.usertable (y_id text PRIMARY KEY, field0 blob, "
        + "field1 blob) WITH compression = {'enabled': 'false'}",
        CqlStatements.createTable("ycsb", "usertable", 2));
    assertThrows(IllegalArgumentException.class,
        () -> CqlStatements.update("usertable", List.of("f; DROP TABLE x")));
    assertThrows(IllegalArgumentException.class, () -> CqlStatements.select("usertable", List.of()));
  }

  private static CassandraNodeConfig node(int index, int nodes, long periodicMillis) {
    return new CassandraNodeConfig(index, nodes, Path.of("/tmp/c/n" + index), periodicMillis, PORTS);
  }
}
