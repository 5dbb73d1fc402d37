package io.kvstore.lsm;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.env.ForwardingEnv;
import io.kvstore.lsm.env.WritableFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The real file system, calling {@link #beforeSync} before each fsync of a file (a table, a log
 * segment, the manifest), so a test double can hold syncs up or make them take time. Thread
 * safety is the subclass's.
 */
abstract class SyncHookEnv extends ForwardingEnv {
  SyncHookEnv() {
    super(DefaultEnv.INSTANCE);
  }

  /** Runs on the syncing thread before {@code path} is fsynced. */
  protected abstract void beforeSync(Path path) throws IOException;

  @Override
  public WritableFile newWritableFile(Path path) throws IOException {
    return new ForwardingWritableFile(delegate().newWritableFile(path)) {
      @Override
      public void sync() throws IOException {
        beforeSync(path);
        super.sync();
      }
    };
  }
}
