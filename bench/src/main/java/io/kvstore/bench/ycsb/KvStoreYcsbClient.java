package io.kvstore.bench.ycsb;

import io.kvstore.client.Context;
import io.kvstore.client.GetResult;
import io.kvstore.client.KvException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.Status;

/**
 * YCSB binding of kvstore, written as an application would use the store: reads resolve
 * siblings, and writes of an existing record carry the context of a read, so they supersede what
 * was read (Dynamo 4.4).
 *
 * <ul>
 *   <li>{@code read}: get, merge the siblings ({@link SiblingMerge}), return the asked fields;
 *       NOT_FOUND when no live value exists.
 *   <li>{@code update}: get (with context), merge the siblings, overlay the new fields, put with
 *       the read's context: one read and one write per update, where Cassandra does one blind
 *       write. A missing key is created (context of nothing), like Cassandra's upsert.
 *   <li>{@code insert}: a blind put (empty context) of a new key.
 *   <li>{@code delete}: get, then delete with its context; NOT_FOUND when nothing is live.
 *   <li>{@code scan}: NOT_IMPLEMENTED (kvstore has no range reads).
 * </ul>
 *
 * <p>Records are encoded with {@link FieldCodec}; the YCSB table name is not part of the key (the
 * core workloads use one table). Failures give {@link Status#ERROR}; the first of each kind is
 * logged ({@link ErrorLog}). All threads of a JVM with the same properties share one client
 * ({@link KvStoreSession}, properties there; {@link SharedSessionDb}).
 *
 * <p>One instance per YCSB thread; not thread safe itself.
 */
public final class KvStoreYcsbClient extends SharedSessionDb<KvStoreSession> {
  private static final SharedResource<KvStoreSession> SESSIONS = new SharedResource<>();

  public KvStoreYcsbClient() {
    super(SESSIONS, "kvstore binding");
  }

  @Override
  Opening<KvStoreSession> opening(Properties properties) {
    KvStoreSession.Settings settings = KvStoreSession.Settings.from(properties);
    return new Opening<>(settings.key(), () -> new KvStoreSession(settings, System.err));
  }

  @Override
  ErrorLog errors(KvStoreSession session) {
    return session.errors;
  }

  @Override
  String kind(RuntimeException e) {
    return e instanceof KvException k ? k.code().name() : e.getClass().getSimpleName();
  }

  @Override
  public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
    return attempt("read", () -> {
      GetResult got = get(key);
      if (got.siblings().isEmpty()) {
        return Status.NOT_FOUND;
      }
      for (Map.Entry<String, byte[]> f : SiblingMerge.merge(got.siblings()).entrySet()) {
        if (fields == null || fields.contains(f.getKey())) {
          result.put(f.getKey(), new ByteArrayByteIterator(f.getValue()));
        }
      }
      return Status.OK;
    });
  }

  @Override
  public Status update(String table, String key, Map<String, ByteIterator> values) {
    return attempt("update", () -> {
      GetResult got = get(key);
      SortedMap<String, byte[]> record = SiblingMerge.merge(got.siblings());
      record.putAll(arrays(values));
      session.client.put(bytes(key), FieldCodec.encode(record), got.context(), session.write);
      return Status.OK;
    });
  }

  @Override
  public Status insert(String table, String key, Map<String, ByteIterator> values) {
    return attempt("insert", () -> {
      session.client.put(bytes(key), FieldCodec.encode(arrays(values)), Context.EMPTY, session.write);
      return Status.OK;
    });
  }

  @Override
  public Status delete(String table, String key) {
    return attempt("delete", () -> {
      GetResult got = get(key);
      if (got.siblings().isEmpty()) {
        return Status.NOT_FOUND;
      }
      session.client.delete(bytes(key), got.context(), session.write);
      return Status.OK;
    });
  }

  private GetResult get(String key) {
    GetResult got = session.client.get(bytes(key), session.read);
    session.sawSiblings(got.siblings().size());
    return got;
  }

  private static Map<String, byte[]> arrays(Map<String, ByteIterator> values) {
    Map<String, byte[]> arrays = new HashMap<>();
    values.forEach((name, bytes) -> arrays.put(name, bytes.toArray()));
    return arrays;
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
