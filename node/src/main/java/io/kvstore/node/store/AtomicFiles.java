package io.kvstore.node.store;

import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.lsm.env.WritableFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Small metadata files replaced whole: the new bytes go to {@code <name>.tmp}, which is fsynced
 * and renamed over the file, and then the directory is fsynced, so a crash leaves the old file or
 * the new one, never a mix (the same steps as the incarnation and hint checkpoint files).
 *
 * <p>Stateless; calls on one file must not overlap.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Durably replaces {@code file} with {@code bytes}, creating its directory if needed. */
  public static void write(Env env, Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (!env.exists(dir)) {
      env.createDirectories(dir);
      Path parent = dir.getParent();
      if (parent != null) {
        env.syncDirectory(parent);
      }
    }
    Path temp = dir.resolve(file.getFileName() + ".tmp");
    try (WritableFile out = env.newWritableFile(temp)) {
      out.append(bytes);
      out.sync();
    }
    env.renameAtomic(temp, file);
    env.syncDirectory(dir);
  }

  /** The whole file, or null if it does not exist; files above {@code maxBytes} are refused. */
  public static byte[] read(Env env, Path file, long maxBytes) throws IOException {
    if (!env.exists(file)) {
      return null;
    }
    try (ReadableFile in = env.newReadableFile(file)) {
      long size = in.size();
      if (size > maxBytes) {
        throw new IOException(file + " is " + size + " bytes, more than the " + maxBytes
            + " such a file can hold");
      }
      byte[] b = new byte[(int) size];
      in.readFully(0, b, 0, b.length);
      return b;
    }
  }

  /** Deletes {@code file} if it exists and makes that durable. */
  public static void delete(Env env, Path file) throws IOException {
    if (env.exists(file)) {
      env.delete(file);
      env.syncDirectory(file.toAbsolutePath().getParent());
    }
  }
}
