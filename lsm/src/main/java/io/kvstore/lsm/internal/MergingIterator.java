package io.kvstore.lsm.internal;

import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges several sorted internal iterators into one sorted stream. Sources are given newest first;
 * an internal key never appears in two sources of one SuperVersion (sequence numbers are unique),
 * but ties are broken by source order anyway so the newest source wins. Not thread safe.
 */
public final class MergingIterator implements InternalIterator {
  private final List<InternalIterator> children;
  private final PriorityQueue<Integer> heap;
  private int current = -1;

  public MergingIterator(List<InternalIterator> children) {
    this.children = List.copyOf(children);
    this.heap =
        new PriorityQueue<>(
            Math.max(1, children.size()),
            (a, b) -> {
              int c = InternalKey.compare(this.children.get(a).key(), this.children.get(b).key());
              return c != 0 ? c : Integer.compare(a, b);
            });
  }

  @Override
  public boolean valid() {
    return current >= 0;
  }

  @Override
  public void seekToFirst() {
    for (InternalIterator it : children) {
      it.seekToFirst();
    }
    rebuild();
  }

  @Override
  public void seek(byte[] internalKey) {
    for (InternalIterator it : children) {
      it.seek(internalKey);
    }
    rebuild();
  }

  @Override
  public void next() {
    InternalIterator it = children.get(current);
    it.next();
    if (it.valid()) {
      heap.add(current);
    }
    current = heap.isEmpty() ? -1 : heap.poll();
  }

  @Override
  public byte[] key() {
    return children.get(current).key();
  }

  @Override
  public byte[] value() {
    return children.get(current).value();
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (InternalIterator it : children) {
      try {
        it.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void rebuild() {
    heap.clear();
    for (int i = 0; i < children.size(); i++) {
      if (children.get(i).valid()) {
        heap.add(i);
      }
    }
    current = heap.isEmpty() ? -1 : heap.poll();
  }
}
