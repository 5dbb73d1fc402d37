package io.kvstore.antientropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** KeyDiff against brute force over the model; KeyHash as a value. */
class KeyDiffTest {
  private static List<KeyHash> listing(Map<byte[], byte[]> data, Random rnd) {
    List<KeyHash> out = new ArrayList<>();
    data.forEach((k, v) -> out.add(new KeyHash(k, KeyHashes.entryHash(k, v))));
    Collections.shuffle(out, rnd);
    return out;
  }

  private static List<String> hex(Iterable<byte[]> keys) {
    List<String> out = new ArrayList<>();
    keys.forEach(k -> out.add(HexFormat.of().formatHex(k)));
    return out;
  }

  @Test
  void differingKeysEqualBruteForce() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int round = 0; round < 300; round++) {
      Divergence d = Divergence.random(rnd);
      List<byte[]> got = KeyDiff.differingKeys(listing(d.local, rnd), listing(d.remote, rnd));
      assertEquals(hex(d.differingKeys()), hex(got), "seed=" + seed + " round=" + round);
    }
  }

  @Test
  void outputIsInUnsignedByteOrder() {
    List<KeyHash> local = List.of(new KeyHash(new byte[] {(byte) 0x80}, 1),
        new KeyHash(new byte[] {0x01}, 1), new KeyHash(new byte[] {0x02}, 7));
    List<KeyHash> remote = List.of(new KeyHash(new byte[] {0x7f}, 1),
        new KeyHash(new byte[] {0x02}, 7), new KeyHash(new byte[] {0x01, 0x00}, 1));
    assertEquals(List.of("01", "0100", "7f", "80"), hex(KeyDiff.differingKeys(local, remote)));
    assertEquals(List.of(), KeyDiff.differingKeys(List.of(), List.of()));
  }

  @Test
  void aKeyListedTwiceOnOneSideIsRefused() {
    List<KeyHash> twice = List.of(new KeyHash(new byte[] {5}, 1), new KeyHash(new byte[] {5}, 2));
    assertEquals("the remote listing holds key 05 more than once",
        assertThrows(IllegalArgumentException.class,
            () -> KeyDiff.differingKeys(List.of(), twice)).getMessage());
  }

  @Test
  void keyHashIsAValueByContent() {
    byte[] key = {1, 2};
    KeyHash a = new KeyHash(key, 9);
    key[0] = 7; // copied in
    assertEquals(new KeyHash(new byte[] {1, 2}, 9), a);
    assertEquals(new KeyHash(new byte[] {1, 2}, 9).hashCode(), a.hashCode());
    assertNotEquals(new KeyHash(new byte[] {1, 2}, 8), a);
    a.key()[0] = 7; // copied out
    assertArrayEquals(new byte[] {1, 2}, a.key());
    assertEquals("KeyHash[0102, 0000000000000009]", a.toString());
  }
}
