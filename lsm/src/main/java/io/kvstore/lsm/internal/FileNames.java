package io.kvstore.lsm.internal;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Layout of a store directory:
 *
 * <pre>
 *   DIR/LOCK                      held (flock) while a process has the store open
 *   DIR/MANIFEST                  the live tables, log number, last sequence (FORMAT.md)
 *   DIR/MANIFEST.tmp              a manifest being written; ignored and deleted at open
 *   DIR/commitlog/NNNNNNNNNN.log  commit-log segments (wal/FORMAT.md)
 *   DIR/sstables/NNNNNNNNNN.sst   tables (sstable/FORMAT.md)
 * </pre>
 *
 * Logs and tables share one increasing file-number space. Stateless.
 */
public final class FileNames {
  public static final String LOG_SUFFIX = ".log";
  public static final String TABLE_SUFFIX = ".sst";

  private FileNames() {}

  public static Path logDir(Path dir) {
    return dir.resolve("commitlog");
  }

  public static Path tableDir(Path dir) {
    return dir.resolve("sstables");
  }

  public static Path manifest(Path dir) {
    return dir.resolve("MANIFEST");
  }

  public static Path manifestTmp(Path dir) {
    return dir.resolve("MANIFEST.tmp");
  }

  public static Path lock(Path dir) {
    return dir.resolve("LOCK");
  }

  public static Path log(Path dir, long number) {
    return logDir(dir).resolve(String.format("%010d", number) + LOG_SUFFIX);
  }

  public static Path table(Path dir, long number) {
    return tableDir(dir).resolve(String.format("%010d", number) + TABLE_SUFFIX);
  }

  /** The number of a file named {@code NNNN<suffix>}, or empty if the name does not match. */
  public static OptionalLong parse(String name, String suffix) {
    if (!name.endsWith(suffix) || name.length() == suffix.length()) {
      return OptionalLong.empty();
    }
    String digits = name.substring(0, name.length() - suffix.length());
    for (int i = 0; i < digits.length(); i++) {
      if (!Character.isDigit(digits.charAt(i))) {
        return OptionalLong.empty();
      }
    }
    try {
      return OptionalLong.of(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
