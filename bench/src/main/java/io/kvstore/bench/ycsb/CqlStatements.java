package io.kvstore.bench.ycsb;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The CQL text of the Cassandra binding and of the benchmark schema: a table of one text key
 * {@code y_id} and one blob column per YCSB field, the layout of YCSB's own Cassandra binding.
 * Column lists are sorted, so one field set always gives one statement text (one prepared
 * statement).
 *
 * <p>Stateless and thread safe.
 */
final class CqlStatements {
  static final String KEY = "y_id";
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");

  private CqlStatements() {}

  /** The keyspace, SimpleStrategy with {@code replicationFactor} copies, durable writes on. */
  static String createKeyspace(String keyspace, int replicationFactor) {
    return "CREATE KEYSPACE IF NOT EXISTS " + name(keyspace) + " WITH replication = {'class': "
        + "'SimpleStrategy', 'replication_factor': " + replicationFactor + "} AND durable_writes = true";
  }

  /**
   * The table, with {@code fieldCount} blob columns field0.. and compression off (kvstore's
   * tables have none; Cassandra's default is LZ4).
   */
  static String createTable(String keyspace, String table, int fieldCount) {
    String columns = IntStream.range(0, fieldCount).mapToObj(i -> ", field" + i + " blob")
        .collect(Collectors.joining());
    return "CREATE TABLE IF NOT EXISTS " + name(keyspace) + "." + name(table) + " (" + KEY
        + " text PRIMARY KEY" + columns + ") WITH compression = {'enabled': 'false'}";
  }

  /** Reads the given fields of a row; null reads all columns. */
  static String select(String table, Collection<String> fields) {
    String what = fields == null ? "*" : String.join(", ", sorted(fields));
    return "SELECT " + what + " FROM " + name(table) + " WHERE " + KEY + " = ?";
  }

  /** Writes a row: the key first, then the fields in {@link #sorted} order. */
  static String insert(String table, Collection<String> fields) {
    List<String> names = sorted(fields);
    return "INSERT INTO " + name(table) + " (" + KEY + ", " + String.join(", ", names)
        + ") VALUES (?" + ", ?".repeat(names.size()) + ")";
  }

  /** Sets fields of a row: the fields in {@link #sorted} order, then the key. */
  static String update(String table, Collection<String> fields) {
    String sets = sorted(fields).stream().map(f -> f + " = ?").collect(Collectors.joining(", "));
    return "UPDATE " + name(table) + " SET " + sets + " WHERE " + KEY + " = ?";
  }

  static String delete(String table) {
    return "DELETE FROM " + name(table) + " WHERE " + KEY + " = ?";
  }

  /**
   * The field names in the order the statements bind them.
   *
   * @throws IllegalArgumentException if there is none, or one is not a plain CQL identifier
   */
  static List<String> sorted(Collection<String> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("no fields");
    }
    fields.forEach(CqlStatements::name);
    return List.copyOf(new TreeSet<>(fields));
  }

  private static String name(String identifier) {
    if (!NAME.matcher(identifier).matches() || identifier.equalsIgnoreCase(KEY)) {
      throw new IllegalArgumentException("not a usable CQL name: '" + identifier + "'");
    }
    return identifier;
  }
}
