package io.kvstore.lsm.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCorruptorTest {
  @TempDir Path dir;

  @Test
  void flipBitTruncateAndOverwriteChangeExactlyWhatTheySay() throws Exception {
    Path f = dir.resolve("f");
    Files.write(f, new byte[] {0, 0, 0, 0, 0});
    FileCorruptor.flipBit(f, 1, 7);
    FileCorruptor.flipBit(f, 2, 0);
    assertArrayEquals(new byte[] {0, (byte) 0x80, 1, 0, 0}, Files.readAllBytes(f));
    FileCorruptor.flipBit(f, 2, 0);
    FileCorruptor.overwrite(f, 3, new byte[] {9, 9});
    assertArrayEquals(new byte[] {0, (byte) 0x80, 0, 9, 9}, Files.readAllBytes(f));
    FileCorruptor.truncate(f, 2);
    assertArrayEquals(new byte[] {0, (byte) 0x80}, Files.readAllBytes(f));
  }

  @Test
  void refusesToReachPastTheEndOfTheFile() throws Exception {
    Path f = dir.resolve("f");
    Files.write(f, new byte[3]);
    assertThrows(IllegalArgumentException.class, () -> FileCorruptor.flipBit(f, 3, 0));
    assertThrows(IllegalArgumentException.class, () -> FileCorruptor.flipBit(f, 0, 8));
    assertThrows(IllegalArgumentException.class, () -> FileCorruptor.overwrite(f, 2, new byte[2]));
    assertThrows(IllegalArgumentException.class, () -> FileCorruptor.truncate(f, 4));
  }
}
