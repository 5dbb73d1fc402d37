package io.kvstore.lsm.internal;

import io.kvstore.lsm.sstable.LookupResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory write buffer: a skip list of internal key -> value, ordered by {@link
 * InternalKey#COMPARATOR}. Each memtable is paired with the commit-log segment that holds its data
 * ({@link #logNumber()}); once it has been flushed to an SSTable, segments up to that number can be
 * deleted.
 *
 * <p>Thread safety: any number of concurrent readers and one applying writer at a time (the write
 * path's group leader, or recovery); readers filter entries by sequence number, so entries of a
 * group being applied are invisible until the store publishes that group's sequence numbers.
 *
 * <p>Why not {@code ConcurrentSkipListMap}: a search in a 32 MiB memtable (~180k entries) is bound
 * by cache misses, and there each step costs several (index node, data node, key array). Here,
 * with one writer, the list needs no CAS; a node carries the first 8 bytes of its user key as a
 * {@code long}, so a comparison rarely touches the key array; and the four lowest links are fields
 * of the node, so a step at the cold lower levels is one object. Levels grow with probability 1/2,
 * not LevelDB's 1/4: a search visits about {@code (1/p - 1) log_{1/p} n} distinct nodes, 17 at p =
 * 1/2 against 26 at p = 1/4 for 180k entries, and each is a potential cache miss. Otherwise this is
 * LevelDB's skip list: nodes are never removed; a node is fully built before it is linked, and
 * links are published with release stores and read with acquire loads, so a reader that reaches a
 * node sees its key, value and lower links.
 *
 * <p>Invariants: at every level the list is sorted by internal key; a node of height h is linked
 * at levels 0..h-1; {@code height} only grows. Internal keys are unique (sequence numbers are); if
 * the same internal key is added again its value is replaced, as a map would.
 */
public final class Memtable {
  /** Per-entry bookkeeping estimate of the skip list (node, links, array headers). */
  private static final int ENTRY_OVERHEAD = 64;

  private static final int MAX_HEIGHT = 24;
  private static final int INLINE_LINKS = 4;
  private static final VarHandle UPPER = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final VarHandle VALUE;
  private static final VarHandle LINK0;
  private static final VarHandle LINK1;
  private static final VarHandle LINK2;
  private static final VarHandle LINK3;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      VALUE = l.findVarHandle(Node.class, "value", byte[].class);
      LINK0 = l.findVarHandle(Node.class, "link0", Node.class);
      LINK1 = l.findVarHandle(Node.class, "link1", Node.class);
      LINK2 = l.findVarHandle(Node.class, "link2", Node.class);
      LINK3 = l.findVarHandle(Node.class, "link3", Node.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Node head = new Node(null, 0, null, MAX_HEIGHT);
  private final AtomicLong approximateBytes = new AtomicLong();
  private final long logNumber;
  /** Levels in use (1..MAX_HEIGHT); written by the writer only. */
  private volatile int height = 1;
  private volatile int entryCount;
  /** Writer-only state of the height generator (xorshift). */
  private long random = 0x2545F4914F6CDD1DL;
  /** Writer-only scratch: the predecessors of an insertion point at each level. */
  private final Node[] prev = new Node[MAX_HEIGHT];

  /**
   * One entry. {@code key} and {@code prefix} are immutable; links are set before publication.
   * The four lowest links are fields, so that a search step at those levels (almost all of the
   * cold, cache-missing steps) touches one object; the rare taller nodes keep the rest in {@code
   * upper}.
   */
  private static final class Node {
    final byte[] key;
    /** The first 8 bytes of the user key, big-endian, zero-padded: see {@link #prefix}. */
    final long prefix;
    final int height;
    byte[] value; // accessed through VALUE (release/acquire) after publication
    Node link0; // links: accessed through LINK0..LINK3 / UPPER after publication
    Node link1;
    Node link2;
    Node link3;
    final Node[] upper;

    Node(byte[] key, long prefix, byte[] value, int height) {
      this.key = key;
      this.prefix = prefix;
      this.value = value;
      this.height = height;
      this.upper = height > INLINE_LINKS ? new Node[height - INLINE_LINKS] : null;
    }
  }

  public Memtable(long logNumber) {
    this.logNumber = logNumber;
  }

  public long logNumber() {
    return logNumber;
  }

  /** Adds an entry. Only one thread may add at a time; readers may run concurrently. */
  public void add(long seq, byte type, byte[] userKey, byte[] value) {
    byte[] v = value == null ? EMPTY : value;
    long trailer = (seq << 8) | (type & 0xff);
    long prefix = prefix(userKey, userKey.length);
    Node found = findGreaterOrEqual(userKey, userKey.length, prefix, trailer, prev);
    if (found != null && compare(found, userKey, userKey.length, prefix, trailer) == 0) {
      VALUE.setRelease(found, v);
    } else {
      insert(new Node(InternalKey.encode(userKey, seq, type), prefix, v, randomHeight()), prev);
      entryCount = entryCount + 1; // single writer
    }
    approximateBytes.addAndGet(userKey.length + 8 + v.length + ENTRY_OVERHEAD);
  }

  private void insert(Node x, Node[] prev) {
    int h = x.height;
    int current = height;
    if (h > current) {
      for (int i = current; i < h; i++) {
        prev[i] = head;
      }
      // Readers that see the new height before the links find null at the new levels of head
      // and simply drop down a level.
      height = h;
    }
    for (int i = 0; i < h; i++) {
      setLink(x, i, link(prev[i], i)); // x is not reachable yet, but release stores are cheap
      setLink(prev[i], i, x); // release: publishes x with everything written above
    }
  }

  private int randomHeight() {
    long r = random;
    r ^= r << 13;
    r ^= r >>> 7;
    r ^= r << 17;
    random = r;
    // Each further level with probability 1/2 (the class comment says why not 1/4).
    int h = 1 + Long.numberOfTrailingZeros(r | (1L << 62));
    return Math.min(h, MAX_HEIGHT);
  }

  public long approximateBytes() {
    return approximateBytes.get();
  }

  public boolean isEmpty() {
    return link(head, 0) == null;
  }

  public int entryCount() {
    return entryCount;
  }

  /** The newest entry for {@code userKey} with sequence <= {@code seq}. */
  public LookupResult get(byte[] userKey, long seq) {
    long trailer = (seq << 8) | (InternalKey.TYPE_PUT & 0xff);
    long prefix = prefix(userKey, userKey.length);
    Node x = findGreaterOrEqual(userKey, userKey.length, prefix, trailer, null);
    if (x == null
        || x.prefix != prefix
        || InternalKey.compareUserKey(x.key, userKey) != 0) {
      return LookupResult.ABSENT;
    }
    return InternalKey.type(x.key) == InternalKey.TYPE_DELETE
        ? LookupResult.DELETED
        : LookupResult.found(((byte[]) VALUE.getAcquire(x)).clone());
  }

  public InternalIterator iterator() {
    return new Iter();
  }

  static final byte[] EMPTY = new byte[0];

  /**
   * The first node >= target {@code (userKey[0, len), trailer)}, or null; fills {@code prev} (if
   * given) with the last node < target at each level.
   */
  private Node findGreaterOrEqual(byte[] userKey, int len, long prefix, long trailer, Node[] prev) {
    Node x = head;
    int level = height - 1;
    while (true) {
      Node n = link(x, level);
      if (n != null && compare(n, userKey, len, prefix, trailer) < 0) {
        x = n;
      } else {
        if (prev != null) {
          prev[level] = x;
        }
        if (level == 0) {
          return n;
        }
        level--;
      }
    }
  }

  /** Node key vs target, in internal-key order (user key ascending, then trailer descending). */
  private static int compare(Node n, byte[] userKey, int len, long prefix, long trailer) {
    if (n.prefix != prefix) {
      return Long.compareUnsigned(n.prefix, prefix);
    }
    byte[] k = n.key;
    int c = Arrays.compareUnsigned(k, 0, k.length - 8, userKey, 0, len);
    if (c != 0) {
      return c;
    }
    return Long.compareUnsigned(trailer, InternalKey.trailer(k));
  }

  /**
   * The first 8 bytes of {@code key[0, len)} as a big-endian unsigned long, zero-padded. If two
   * prefixes differ, they order the keys exactly as an unsigned byte comparison would (where one
   * key ends inside the 8 bytes, the other has the same bytes up to there and so is longer, hence
   * greater); if equal, the keys must be compared in full.
   */
  static long prefix(byte[] key, int len) {
    if (len >= 8) {
      return InternalKey.getLongBE(key, 0);
    }
    long p = 0;
    for (int i = 0; i < 8; i++) {
      p = (p << 8) | (i < len ? key[i] & 0xff : 0);
    }
    return p;
  }

  private static Node link(Node x, int level) {
    return switch (level) {
      case 0 -> (Node) LINK0.getAcquire(x);
      case 1 -> (Node) LINK1.getAcquire(x);
      case 2 -> (Node) LINK2.getAcquire(x);
      case 3 -> (Node) LINK3.getAcquire(x);
      default -> (Node) UPPER.getAcquire(x.upper, level - INLINE_LINKS);
    };
  }

  private static void setLink(Node x, int level, Node to) {
    switch (level) {
      case 0 -> LINK0.setRelease(x, to);
      case 1 -> LINK1.setRelease(x, to);
      case 2 -> LINK2.setRelease(x, to);
      case 3 -> LINK3.setRelease(x, to);
      default -> UPPER.setRelease(x.upper, level - INLINE_LINKS, to);
    }
  }

  /** Iterates level 0; sees entries added after it was created if it has not passed them. */
  private final class Iter implements InternalIterator {
    private Node current;

    @Override
    public boolean valid() {
      return current != null;
    }

    @Override
    public void seekToFirst() {
      current = link(head, 0);
    }

    @Override
    public void seek(byte[] internalKey) {
      int userLen = internalKey.length - 8;
      current = findGreaterOrEqual(internalKey, userLen, prefix(internalKey, userLen),
          InternalKey.trailer(internalKey), null);
    }

    @Override
    public void next() {
      current = Memtable.link(current, 0);
    }

    @Override
    public byte[] key() {
      return current.key;
    }

    @Override
    public byte[] value() {
      return (byte[]) VALUE.getAcquire(current);
    }

    @Override
    public void close() {}
  }
}
