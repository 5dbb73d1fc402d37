package io.kvstore.lsm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;

/**
 * The real file system, except that while the gate is shut, fsyncing a table waits until it is
 * opened again (at most a minute, so a test that fails before opening it still ends): flushes and
 * compactions hold before installing their output, and writers behind them stall. Thread safe
 * (the gate is guarded by this).
 */
final class TableGateEnv extends SyncHookEnv {
  private static final long MAX_WAIT_MILLIS = 60_000;
  private boolean shut;

  synchronized void shut() {
    shut = true;
  }

  synchronized void open() {
    shut = false;
    notifyAll();
  }

  private synchronized void pass() throws IOException {
    long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
    for (long left = MAX_WAIT_MILLIS; shut && left > 0;
        left = deadline - System.currentTimeMillis()) {
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("waiting at the table gate");
      }
    }
  }

  @Override
  protected void beforeSync(Path path) throws IOException {
    if (path.toString().endsWith(".sst")) {
      pass();
    }
  }
}
