package io.kvstore.lsm.env;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The real file system, through {@link FileChannel}. Stateless and thread safe. */
public final class DefaultEnv implements Env {
  public static final DefaultEnv INSTANCE = new DefaultEnv();

  private DefaultEnv() {}

  @Override
  public WritableFile newWritableFile(Path path) throws IOException {
    FileChannel ch =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    return new ChannelWritableFile(ch);
  }

  @Override
  public ReadableFile newReadableFile(Path path) throws IOException {
    return new ChannelReadableFile(path, FileChannel.open(path, StandardOpenOption.READ));
  }

  @Override
  public boolean exists(Path path) {
    return Files.exists(path);
  }

  @Override
  public List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p)) {
          names.add(p.getFileName().toString());
        }
      }
    }
    return names;
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
  }

  @Override
  public void delete(Path path) throws IOException {
    Files.deleteIfExists(path);
  }

  @Override
  public void renameAtomic(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void truncate(Path path, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(true);
    }
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  @Override
  public long size(Path path) throws IOException {
    return Files.size(path);
  }

  private static final class ChannelWritableFile implements WritableFile {
    private final FileChannel ch;
    private volatile long size;

    ChannelWritableFile(FileChannel ch) {
      this.ch = ch;
    }

    @Override
    public void append(byte[] data, int offset, int length) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(data, offset, length);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      size += length;
    }

    @Override
    public void sync() throws IOException {
      ch.force(false);
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  private record ChannelReadableFile(Path path, FileChannel ch) implements ReadableFile {
    @Override
    public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(dst, offset, length);
      long pos = position;
      while (buf.hasRemaining()) {
        int n = ch.read(buf, pos);
        if (n < 0) {
          throw new EOFException(
              path + ": wanted " + length + " bytes at " + position + ", file ends at " + ch.size());
        }
        pos += n;
      }
    }

    @Override
    public long size() throws IOException {
      return ch.size();
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
