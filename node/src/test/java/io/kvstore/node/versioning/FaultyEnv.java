package io.kvstore.node.versioning;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.lsm.env.WritableFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The real file system, except that the {@code failAt}-th mutating operation (create, append,
 * sync, rename, directory sync; counted from 1) throws an IOException, as a full disk or a dying
 * device would. {@code failAt = 0} never fails.
 *
 * <p>Thread safety: none; one test owns it.
 */
final class FaultyEnv implements Env {
  private final Env real = DefaultEnv.INSTANCE;
  private final int failAt;
  private int ops;

  FaultyEnv(int failAt) {
    this.failAt = failAt;
  }

  /** Mutating operations seen so far. */
  int ops() {
    return ops;
  }

  private void step(String what) throws IOException {
    if (++ops == failAt) {
      throw new IOException("injected failure at operation " + ops + " (" + what + ")");
    }
  }

  @Override
  public WritableFile newWritableFile(Path path) throws IOException {
    step("create " + path);
    WritableFile f = real.newWritableFile(path);
    return new WritableFile() {
      @Override
      public void append(byte[] data, int offset, int length) throws IOException {
        step("append");
        f.append(data, offset, length);
      }

      @Override
      public void sync() throws IOException {
        step("sync");
        f.sync();
      }

      @Override
      public long size() {
        return f.size();
      }

      @Override
      public void close() throws IOException {
        f.close();
      }
    };
  }

  @Override
  public ReadableFile newReadableFile(Path path) throws IOException {
    return real.newReadableFile(path);
  }

  @Override
  public boolean exists(Path path) {
    return real.exists(path);
  }

  @Override
  public List<String> list(Path dir) throws IOException {
    return real.list(dir);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    step("mkdir " + dir);
    real.createDirectories(dir);
  }

  @Override
  public void delete(Path path) throws IOException {
    step("delete " + path);
    real.delete(path);
  }

  @Override
  public void renameAtomic(Path source, Path target) throws IOException {
    step("rename " + source);
    real.renameAtomic(source, target);
  }

  @Override
  public void truncate(Path path, long size) throws IOException {
    step("truncate " + path);
    real.truncate(path, size);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    step("sync dir " + dir);
    real.syncDirectory(dir);
  }

  @Override
  public long size(Path path) throws IOException {
    return real.size(path);
  }
}
