package io.kvstore.lsm.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The set of live tables, by level. Immutable.
 *
 * <p>Invariants: level 0 tables may overlap and are ordered newest first (descending file number,
 * since flushes are numbered in order); tables of each level >= 1 have disjoint user-key ranges
 * and are ordered by key. Compaction never splits the versions of one user key across two
 * tables of a level, which keeps the ranges disjoint by user key.
 */
public final class Version {
  public static final int LEVELS = 7;

  private static final Comparator<TableHandle> NEWEST_FIRST =
      Comparator.comparingLong(TableHandle::fileNumber).reversed();
  private static final Comparator<TableHandle> BY_KEY =
      (a, b) -> InternalKey.compare(a.smallest(), b.smallest());

  private final List<List<TableHandle>> levels;

  private Version(List<List<TableHandle>> levels) {
    this.levels = levels;
  }

  public static Version empty() {
    List<List<TableHandle>> levels = new ArrayList<>();
    for (int i = 0; i < LEVELS; i++) {
      levels.add(List.of());
    }
    return new Version(List.copyOf(levels));
  }

  public List<TableHandle> level(int level) {
    return levels.get(level);
  }

  public int tableCount() {
    int n = 0;
    for (List<TableHandle> l : levels) {
      n += l.size();
    }
    return n;
  }

  public long levelBytes(int level) {
    long sum = 0;
    for (TableHandle t : levels.get(level)) {
      sum += t.fileSize();
    }
    return sum;
  }

  public List<TableHandle> all() {
    List<TableHandle> out = new ArrayList<>();
    for (List<TableHandle> l : levels) {
      out.addAll(l);
    }
    return out;
  }

  /** Tables of {@code level} whose user-key range intersects [lo, hi]. */
  public List<TableHandle> overlapping(int level, byte[] lo, byte[] hi) {
    List<TableHandle> out = new ArrayList<>();
    for (TableHandle t : levels.get(level)) {
      if (t.overlaps(lo, hi)) {
        out.add(t);
      }
    }
    return out;
  }

  /** In a level >= 1, the one table whose range may contain {@code userKey}, or null. */
  public TableHandle find(int level, byte[] userKey) {
    List<TableHandle> files = levels.get(level);
    int lo = 0;
    int hi = files.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (InternalKey.compareUserKey(files.get(mid).largest(), userKey) < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (lo < files.size() && InternalKey.compareUserKey(files.get(lo).smallest(), userKey) <= 0) {
      return files.get(lo);
    }
    return null;
  }

  /** A new version with {@code removed} taken out and {@code added} put in at {@code level}. */
  public Version apply(Collection<TableHandle> removed, int level, Collection<TableHandle> added) {
    Set<Long> gone = new HashSet<>();
    for (TableHandle t : removed) {
      gone.add(t.fileNumber());
    }
    List<List<TableHandle>> next = new ArrayList<>();
    for (int i = 0; i < LEVELS; i++) {
      List<TableHandle> l = new ArrayList<>();
      for (TableHandle t : levels.get(i)) {
        if (!gone.contains(t.fileNumber())) {
          l.add(t);
        }
      }
      if (i == level) {
        l.addAll(added);
      }
      l.sort(i == 0 ? NEWEST_FIRST : BY_KEY);
      next.add(List.copyOf(l));
    }
    Version v = new Version(List.copyOf(next));
    v.checkDisjoint();
    return v;
  }

  private void checkDisjoint() {
    for (int i = 1; i < LEVELS; i++) {
      List<TableHandle> l = levels.get(i);
      for (int j = 1; j < l.size(); j++) {
        if (InternalKey.compareUserKeys(l.get(j - 1).largest(), l.get(j).smallest()) >= 0) {
          throw new IllegalStateException(
              "level " + i + " tables overlap: " + l.get(j - 1) + " and " + l.get(j));
        }
      }
    }
  }

  public void refAll() {
    for (TableHandle t : all()) {
      t.ref();
    }
  }

  public void unrefAll() {
    for (TableHandle t : all()) {
      t.unref();
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Version[");
    for (int i = 0; i < LEVELS; i++) {
      if (!levels.get(i).isEmpty()) {
        sb.append(" L").append(i).append('=').append(levels.get(i).size());
      }
    }
    return sb.append(" ]").toString();
  }
}
