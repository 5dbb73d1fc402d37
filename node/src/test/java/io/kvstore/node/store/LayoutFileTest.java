package io.kvstore.node.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.env.DefaultEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory of another layout is refused with a message, never misread. */
class LayoutFileTest {
  @TempDir Path dir;

  @Test
  void aFreshDirectoryIsMarkedAndThenAccepted() throws Exception {
    LayoutFile.check(DefaultEnv.INSTANCE, dir);
    assertTrue(Files.exists(dir.resolve("meta/layout")));
    LayoutFile.check(DefaultEnv.INSTANCE, dir);
  }

  @Test
  void aLayoutOneDirectoryIsRefusedAndLeftAsItWas() throws Exception {
    Files.createDirectories(dir.resolve("meta"));
    Files.write(dir.resolve("MANIFEST"), new byte[] {1, 2, 3});
    DataDirectoryException e = assertThrows(DataDirectoryException.class,
        () -> LayoutFile.check(DefaultEnv.INSTANCE, dir));
    assertTrue(e.getMessage().contains("layout 1"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("meta/layout")), "nothing written");

    Path other = dir.resolve("other");
    Files.createDirectories(other.resolve("hints"));
    Files.write(other.resolve("hints/n2-0000000001.hints"), new byte[] {1});
    assertThrows(DataDirectoryException.class, () -> LayoutFile.check(DefaultEnv.INSTANCE, other));
  }

  @Test
  void aNewerOrCorruptMarkerIsRefusedByName() throws Exception {
    Files.createDirectories(dir.resolve("meta"));
    Files.write(dir.resolve("meta/layout"), LayoutFile.encode(3));
    DataDirectoryException newer = assertThrows(DataDirectoryException.class,
        () -> LayoutFile.check(DefaultEnv.INSTANCE, dir));
    assertTrue(newer.getMessage().contains("layout 3, written by a newer kvstore"),
        newer.getMessage());

    byte[] flipped = LayoutFile.encode(2);
    flipped[4] ^= 0x40;
    Files.write(dir.resolve("meta/layout"), flipped);
    DataDirectoryException corrupt = assertThrows(DataDirectoryException.class,
        () -> LayoutFile.check(DefaultEnv.INSTANCE, dir));
    assertTrue(corrupt.getMessage().contains("corrupt at offset 5: checksum mismatch"),
        corrupt.getMessage());
  }
}
