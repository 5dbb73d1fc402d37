package io.kvstore.lsm.env;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An {@link Env} that forwards every call to another, for test doubles that change only a few
 * operations (override those). {@link ForwardingWritableFile} does the same for files. Thread
 * safety is the delegate's.
 */
public abstract class ForwardingEnv implements Env {
  private final Env delegate;

  protected ForwardingEnv(Env delegate) {
    this.delegate = delegate;
  }

  protected Env delegate() {
    return delegate;
  }

  @Override
  public WritableFile newWritableFile(Path path) throws IOException {
    return delegate.newWritableFile(path);
  }

  @Override
  public ReadableFile newReadableFile(Path path) throws IOException {
    return delegate.newReadableFile(path);
  }

  @Override
  public boolean exists(Path path) {
    return delegate.exists(path);
  }

  @Override
  public List<String> list(Path dir) throws IOException {
    return delegate.list(dir);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    delegate.createDirectories(dir);
  }

  @Override
  public void delete(Path path) throws IOException {
    delegate.delete(path);
  }

  @Override
  public void renameAtomic(Path source, Path target) throws IOException {
    delegate.renameAtomic(source, target);
  }

  @Override
  public void truncate(Path path, long size) throws IOException {
    delegate.truncate(path, size);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    delegate.syncDirectory(dir);
  }

  @Override
  public long size(Path path) throws IOException {
    return delegate.size(path);
  }

  @Override
  public long nanoTime() {
    return delegate.nanoTime();
  }

  /** A {@link WritableFile} that forwards every call; override what a double changes. */
  public static class ForwardingWritableFile implements WritableFile {
    private final WritableFile delegate;

    public ForwardingWritableFile(WritableFile delegate) {
      this.delegate = delegate;
    }

    @Override
    public void append(byte[] data, int offset, int length) throws IOException {
      delegate.append(data, offset, length);
    }

    @Override
    public void sync() throws IOException {
      delegate.sync();
    }

    @Override
    public long size() {
      return delegate.size();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
