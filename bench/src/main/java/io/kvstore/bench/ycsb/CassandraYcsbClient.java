package io.kvstore.bench.ycsb;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.Status;

/**
 * YCSB binding of Apache Cassandra on its Java driver 4.x, synchronous (YCSB threads are): read
 * = SELECT by key, insert = INSERT, update = UPDATE of the given fields (a blind write, as
 * Cassandra resolves concurrent writes by timestamp, last write wins), delete = DELETE, scan
 * NOT_IMPLEMENTED (as kvstore's). Prepared statements (one per statement text), consistency
 * levels from properties; table layout and CQL in {@link CqlStatements}. All threads of a JVM
 * with the same properties share one session ({@link CassandraSession}, properties there).
 * Failures give {@link Status#ERROR}; the first of each kind is logged.
 *
 * <p>One instance per YCSB thread; not thread safe itself.
 */
public final class CassandraYcsbClient extends SharedSessionDb<CassandraSession> {
  private static final SharedResource<CassandraSession> SESSIONS = new SharedResource<>();

  public CassandraYcsbClient() {
    super(SESSIONS, "cassandra binding");
  }

  @Override
  Opening<CassandraSession> opening(Properties properties) {
    CassandraSession.Settings settings = CassandraSession.Settings.from(properties);
    return new Opening<>(settings.key(), () -> new CassandraSession(settings, System.err));
  }

  @Override
  ErrorLog errors(CassandraSession session) {
    return session.errors;
  }

  @Override
  String kind(RuntimeException e) {
    return e.getClass().getSimpleName();
  }

  @Override
  public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
    return attempt("read", () -> {
      BoundStatement b = session.prepare(CqlStatements.select(table, fields)).bind(key)
          .setConsistencyLevel(session.read);
      Row row = session.cql.execute(b).one();
      if (row == null) {
        return Status.NOT_FOUND;
      }
      for (ColumnDefinition c : row.getColumnDefinitions()) {
        String name = c.getName().asInternal();
        if (!name.equals(CqlStatements.KEY)) {
          ByteBuffer v = row.getByteBuffer(name);
          result.put(name, new ByteArrayByteIterator(v == null ? new byte[0] : bytes(v)));
        }
      }
      return Status.OK;
    });
  }

  @Override
  public Status insert(String table, String key, Map<String, ByteIterator> values) {
    return attempt("insert", () -> {
      List<Object> binds = new ArrayList<>();
      binds.add(key);
      binds.addAll(values(values));
      return write(CqlStatements.insert(table, values.keySet()), binds);
    });
  }

  @Override
  public Status update(String table, String key, Map<String, ByteIterator> values) {
    return attempt("update", () -> {
      List<Object> binds = new ArrayList<>(values(values));
      binds.add(key);
      return write(CqlStatements.update(table, values.keySet()), binds);
    });
  }

  @Override
  public Status delete(String table, String key) {
    return attempt("delete", () -> {
      return write(CqlStatements.delete(table), List.of(key));
    });
  }

  private Status write(String cql, List<Object> binds) {
    session.cql.execute(session.prepare(cql).bind(binds.toArray())
        .setConsistencyLevel(session.write));
    return Status.OK;
  }

  /** The field values in the order {@link CqlStatements#sorted} binds them. */
  private static List<ByteBuffer> values(Map<String, ByteIterator> values) {
    return CqlStatements.sorted(values.keySet()).stream()
        .map(f -> ByteBuffer.wrap(values.get(f).toArray())).toList();
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
