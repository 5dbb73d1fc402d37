package io.kvstore.lsm;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.env.ForwardingEnv;
import io.kvstore.lsm.env.WritableFile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;

/**
 * The real file system, except that while the gate is shut, fsyncing a table waits until it is
 * opened again (at most a minute, so a test that fails before opening it still ends): flushes and
 * compactions hold before installing their output, and writers behind them stall. Thread safe
 * (the gate is guarded by this).
 */
final class TableGateEnv extends ForwardingEnv {
  private static final long MAX_WAIT_MILLIS = 60_000;
  private boolean shut;

  TableGateEnv() {
    super(DefaultEnv.INSTANCE);
  }

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
  public WritableFile newWritableFile(Path path) throws IOException {
    WritableFile f = delegate().newWritableFile(path);
    if (!path.toString().endsWith(".sst")) {
      return f;
    }
    return new ForwardingWritableFile(f) {
      @Override
      public void sync() throws IOException {
        pass();
        super.sync();
      }
    };
  }
}
