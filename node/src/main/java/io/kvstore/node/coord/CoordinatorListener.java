package io.kvstore.node.coord;

/** Events of the request path that metrics and logs want. Implementations must be thread safe. */
public interface CoordinatorListener {
  void readRepair(String target);

  void manySiblings(int count);

  CoordinatorListener NONE =
      new CoordinatorListener() {
        @Override
        public void readRepair(String target) {}

        @Override
        public void manySiblings(int count) {}
      };
}
