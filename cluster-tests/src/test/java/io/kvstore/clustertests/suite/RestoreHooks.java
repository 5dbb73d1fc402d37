package io.kvstore.clustertests.suite;

/**
 * What a {@link NemesisKind#RESTORE_BACKUP} run of the {@link Nemesis} calls around the restore,
 * on the nemesis thread ({@link RestoreProbe} watches the restore through it).
 */
interface RestoreHooks {
  RestoreHooks NONE = new RestoreHooks() {
    @Override
    public void beforeRestore(int node) {}

    @Override
    public void afterRestore(int node) {}
  };

  /** Just before the node is killed to restore the copy (it still serves). */
  void beforeRestore(int node);

  /** Right after the node restarted on the restored copy and serves. */
  void afterRestore(int node);
}
