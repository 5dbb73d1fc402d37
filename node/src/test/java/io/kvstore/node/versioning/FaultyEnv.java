package io.kvstore.node.versioning;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.env.ForwardingEnv;
import io.kvstore.lsm.env.WritableFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The real file system, except that the {@code failAt}-th mutating operation (create, append,
 * sync, rename, directory sync; counted from 1) throws an IOException, as a full disk or a dying
 * device would. {@code failAt = 0} never fails.
 *
 * <p>Thread safety: none; one test owns it.
 */
final class FaultyEnv extends ForwardingEnv {
  private final int failAt;
  private int ops;

  FaultyEnv(int failAt) {
    super(DefaultEnv.INSTANCE);
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
    return new ForwardingWritableFile(super.newWritableFile(path)) {
      @Override
      public void append(byte[] data, int offset, int length) throws IOException {
        step("append");
        super.append(data, offset, length);
      }

      @Override
      public void sync() throws IOException {
        step("sync");
        super.sync();
      }
    };
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    step("mkdir " + dir);
    super.createDirectories(dir);
  }

  @Override
  public void delete(Path path) throws IOException {
    step("delete " + path);
    super.delete(path);
  }

  @Override
  public void renameAtomic(Path source, Path target) throws IOException {
    step("rename " + source);
    super.renameAtomic(source, target);
  }

  @Override
  public void truncate(Path path, long size) throws IOException {
    step("truncate " + path);
    super.truncate(path, size);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    step("sync dir " + dir);
    super.syncDirectory(dir);
  }
}
