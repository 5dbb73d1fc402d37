package io.kvstore.bench.ycsb;

import java.util.HashMap;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.function.Supplier;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * What both bindings do alike: in {@link #init()} take a reference to the session shared by the
 * JVM's YCSB threads with equal properties ({@link SharedResource}), give it back in
 * {@link #cleanup()}, answer {@code scan} with NOT_IMPLEMENTED (kvstore has no range reads, so
 * neither side runs scans), and turn failures into {@link Status#ERROR} logged once per kind.
 *
 * <p>One instance per YCSB thread; not thread safe itself.
 *
 * @param <S> the shared session
 */
abstract class SharedSessionDb<S extends AutoCloseable> extends DB {
  /** How to find or build the session: threads with equal keys share one. */
  record Opening<S>(String key, Supplier<S> factory) {}

  private final SharedResource<S> sessions;
  private final String name;
  private String key;
  /** The shared session; set between init and cleanup. */
  S session;

  SharedSessionDb(SharedResource<S> sessions, String name) {
    this.sessions = sessions;
    this.name = name;
  }

  /**
   * The session's key and factory from the YCSB properties.
   *
   * @throws IllegalArgumentException if a property is invalid
   */
  abstract Opening<S> opening(Properties properties);

  /** The error log of {@code session}. */
  abstract ErrorLog errors(S session);

  /** The kind of a failure, for the error log ("UNAVAILABLE", "WriteTimeoutException", ...). */
  abstract String kind(RuntimeException e);

  @Override
  public final void init() throws DBException {
    try {
      Opening<S> o = opening(getProperties());
      session = sessions.acquire(o.key(), o.factory());
      key = o.key();
    } catch (RuntimeException e) {
      throw new DBException(name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public final void cleanup() throws DBException {
    if (session == null) {
      return;
    }
    session = null;
    try {
      sessions.release(key);
    } catch (Exception e) {
      throw new DBException(name + ": closing the session: " + e, e);
    }
  }

  @Override
  public final Status scan(String table, String startkey, int recordcount, Set<String> fields,
      Vector<HashMap<String, ByteIterator>> result) {
    return Status.NOT_IMPLEMENTED;
  }

  /**
   * Runs one operation: its status, or ERROR if it throws (logged if its kind is new for this
   * operation).
   */
  final Status attempt(String operation, Supplier<Status> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      errors(session).error(operation + " " + kind(e), String.valueOf(e.getMessage()));
      return Status.ERROR;
    }
  }
}
