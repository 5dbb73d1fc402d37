package io.kvstore.node.coord;

/** Events of the request path that metrics and logs want. Implementations must be thread safe. */
public interface CoordinatorListener {
  void readRepair(String target);

  void manySiblings(int count);

  /** A write was sent to a fallback as a hint for {@code owner} (sloppy quorum). */
  void hintedWrite(String owner);

  CoordinatorListener NONE =
      new CoordinatorListener() {
        @Override
        public void readRepair(String target) {}

        @Override
        public void manySiblings(int count) {}

        @Override
        public void hintedWrite(String owner) {}
      };
}
