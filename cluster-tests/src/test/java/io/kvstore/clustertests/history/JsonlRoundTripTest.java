package io.kvstore.clustertests.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlRoundTripTest {
  private static final String[] NASTY = {
    "", "plain", "quote\"in", "back\\slash", "new\nline", "tab\tcr\r", "\u0000nul\u001f",
    "caf\u00e9", "\u65e5\u672c", "emoji \ud83d\ude00", "lone \ud800 surrogate", "\u2028sep",
    "{\"json\":[1,2]}", "/slash", "\u007f del"
  };

  @Test
  void randomHistoriesRoundTripExactly(@TempDir Path dir) {
    Seeds.trials("JsonlRoundTripTest#randomHistoriesRoundTripExactly", 30, seed -> {
      Random rnd = new Random(seed);
      History h = randomHistory(rnd);
      Path file = dir.resolve("h" + seed + ".jsonl");
      try {
        HistoryWriter.write(h, file);
        History back = HistoryReader.read(file);
        assertEquals(h.header(), back.header());
        assertEquals(h.ops(), back.ops());
        assertEquals(h.faults(), back.faults());
        for (String line : Files.readAllLines(file)) {
          assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "not ASCII: " + line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Test
  void truncatedFileIsRejected() throws IOException {
    String text = write(sample());
    String cut = text.substring(0, text.lastIndexOf("{\"type\":\"footer\""));
    HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> read(cut));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void editedFileFailsTheChecksum() throws IOException {
    String text = write(sample()).replace("\"key\":\"k1\"", "\"key\":\"k2\"");
    HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> read(text));
    assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
  }

  @Test
  void newerVersionAndForeignFilesAreRefused() throws IOException {
    String text = write(sample());
    HistoryFormatException newer =
        assertThrows(HistoryFormatException.class, () -> read(text.replace("\"version\":1", "\"version\":2")));
    assertTrue(newer.getMessage().contains("newer"), newer.getMessage());
    HistoryFormatException foreign =
        assertThrows(HistoryFormatException.class, () -> read("{\"type\":\"op\"}\n"));
    assertEquals(1, foreign.line());
    HistoryFormatException notJson = assertThrows(HistoryFormatException.class, () -> read("[1]\n"));
    assertTrue(notJson.getMessage().contains("not a JSON object"), notJson.getMessage());
  }

  @Test
  void aBadLineIsNamed() throws IOException {
    String[] lines = write(sample()).split("\n");
    lines[1] = lines[1].replace("\"index\":", "\"index\":\"x\",\"i\":");
    HistoryFormatException e =
        assertThrows(HistoryFormatException.class, () -> read(String.join("\n", lines) + "\n"));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("index"), e.getMessage());
  }

  @Test
  void theClientKindIsWrittenOnlyForAnAllNodesClientAndAbsentMeansPinned() throws IOException {
    History h = sample();
    Op inv = h.invoke(h.newProcess(), Op.F.READ, "k1", null, ClientKind.ALL_NODES, null, null);
    h.ok(inv, Completion.NONE.withValues(List.of("1")).withAcks(2));
    String text = write(h);
    String[] lines = text.split("\n");
    assertTrue(lines.length == 8 && lines[1].contains("\"node\":\"n1\"")
        && !lines[1].contains("\"client\""), lines[1]);
    assertTrue(lines[5].contains("\"client\":\"all-nodes\"") && !lines[5].contains("\"node\""),
        lines[5]);
    List<Op> back = read(text).ops();
    assertEquals(ClientKind.PINNED, back.get(0).client());
    assertEquals(ClientKind.ALL_NODES, back.get(2).client());
    assertEquals(ClientKind.ALL_NODES, back.get(3).client(), "a completion keeps its invocation's");
  }

  @Test
  void fallbackAcksAreWrittenOnlyWhenSomeCountedAndAbsentMeansNone() throws IOException {
    History h = sample();
    Op inv = h.invoke(h.newProcess(), Op.F.ADD, "k1", "5", ClientKind.ALL_NODES, null, null);
    h.ok(inv, Completion.NONE.withAcks(1).withSloppyAcks(1));
    String text = write(h);
    String[] lines = text.split("\n");
    assertTrue(lines[3].contains("\"acks\":2") && !lines[3].contains("sloppy"), lines[3]);
    assertTrue(lines[6].contains("\"acks\":1") && lines[6].contains("\"sloppy\":true")
        && lines[6].contains("\"sloppyAcks\":1"), lines[6]);
    List<Op> back = read(text).ops();
    assertEquals(0, back.get(1).sloppyAcks());
    assertFalse(back.get(1).sloppy());
    assertEquals(1, back.get(3).sloppyAcks());
    assertTrue(back.get(3).sloppy());
    String old = text.substring(0, text.lastIndexOf("{\"type\":\"footer\""))
        .replace(",\"sloppyAcks\":1", "");
    Op before = read(withFooter(old)).ops().get(3);
    assertTrue(before.sloppy() && before.sloppyAcks() == 0, "a file without the field: " + before);
  }

  @Test
  void fallbackAcksOnAnOpThatIsNotSloppyAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Op(0, 0, Op.Type.OK, Op.F.ADD, "k",
        "1", List.of(), 0, "n1", ClientKind.PINNED, null, 2, false, 1, List.of(), null, null));
    assertThrows(IllegalArgumentException.class, () -> new Op(0, 0, Op.Type.OK, Op.F.ADD, "k",
        "1", List.of(), 0, "n1", ClientKind.PINNED, null, 2, true, -1, List.of(), null, null));
  }

  @Test
  void anUnknownClientKindIsRejectedWithItsLine() throws IOException {
    History h = sample();
    h.ok(h.invoke(h.newProcess(), Op.F.READ, "k", null, ClientKind.ALL_NODES, null, null),
        Completion.NONE);
    String text = write(h);
    String edited = text.substring(0, text.lastIndexOf("{\"type\":\"footer\""))
        .replace("\"client\":\"all-nodes\"", "\"client\":\"ring-aware\"");
    HistoryFormatException e = assertThrows(HistoryFormatException.class,
        () -> read(withFooter(edited)));
    assertEquals(6, e.line());
    assertTrue(e.getMessage().contains("unknown client kind \"ring-aware\""), e.getMessage());
  }

  @Test
  void faultEventsAreMergedInTimeOrder() throws IOException {
    String[] lines = write(sample()).split("\n");
    assertTrue(lines[0].startsWith("{\"type\":\"header\""));
    assertTrue(lines[2].startsWith("{\"type\":\"nemesis\",\"phase\":\"start\""), lines[2]);
    assertTrue(lines[lines.length - 1].startsWith("{\"type\":\"footer\""));
  }

  private static History sample() {
    ManualClock clock = new ManualClock();
    History h = new History(new HistoryHeader(42, "sample", Instant.parse("2025-03-01T10:00:00Z")), clock);
    int p = h.newProcess();
    Op a = h.invoke(p, Op.F.ADD, "k1", "1", "n1");
    clock.advanceMillis(1);
    FaultWindow w = h.faultStarted("partition", "n1 | n2,n3");
    clock.advanceMillis(1);
    h.ok(a, Completion.NONE.withAcks(2));
    clock.advanceMillis(1);
    h.faultEnded(w);
    return h;
  }

  private static String write(History h) throws IOException {
    StringWriter w = new StringWriter();
    HistoryWriter.write(h, w);
    return w.toString();
  }

  /** Lines (each ending in a newline) with a valid footer appended: an edit the CRC allows. */
  private static String withFooter(String lines) {
    CRC32 crc = new CRC32();
    crc.update(lines.getBytes(StandardCharsets.US_ASCII));
    return lines + "{\"type\":\"footer\",\"lines\":" + lines.split("\n").length
        + ",\"crc32\":" + crc.getValue() + "}\n";
  }

  private static History read(String text) throws IOException {
    return HistoryReader.read(new StringReader(text), "test.jsonl");
  }

  private static History randomHistory(Random rnd) {
    ManualClock clock = new ManualClock();
    History h = new History(
        new HistoryHeader(rnd.nextLong(), nasty(rnd), Instant.ofEpochSecond(rnd.nextInt(2_000_000_000), rnd.nextInt(1_000_000_000))),
        clock);
    List<Op> open = new ArrayList<>();
    List<FaultWindow> faults = new ArrayList<>();
    int steps = rnd.nextInt(60);
    for (int i = 0; i < steps; i++) {
      clock.advanceNanos(rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(5_000_000));
      int choice = rnd.nextInt(10);
      if (choice < 4 || open.isEmpty()) {
        Op.F f = Op.F.values()[rnd.nextInt(Op.F.values().length)];
        ClientKind client = ClientKind.values()[rnd.nextInt(ClientKind.values().length)];
        open.add(h.invoke(h.newProcess(), f, nasty(rnd), rnd.nextBoolean() ? nasty(rnd) : null,
            client, rnd.nextBoolean() ? "n" + rnd.nextInt(5) : null,
            rnd.nextBoolean() ? nasty(rnd) : null));
      } else if (choice < 8) {
        Op inv = open.remove(rnd.nextInt(open.size()));
        Op.Type t = Op.Type.values()[1 + rnd.nextInt(3)];
        h.complete(inv, t, randomCompletion(rnd));
      } else if (choice == 8 || faults.isEmpty()) {
        faults.add(h.faultStarted(nasty(rnd) + "x", nasty(rnd)));
      } else {
        FaultWindow w = faults.remove(rnd.nextInt(faults.size()));
        h.faultEnded(w);
      }
    }
    return h;
  }

  private static Completion randomCompletion(Random rnd) {
    List<String> values = new ArrayList<>();
    List<RawSibling> raw = new ArrayList<>();
    for (int i = rnd.nextInt(4); i > 0; i--) {
      values.add(nasty(rnd));
      raw.add(rnd.nextBoolean() ? RawSibling.live(nasty(rnd), nasty(rnd)) : RawSibling.tombstone(nasty(rnd)));
    }
    Completion c = Completion.NONE.withValues(values)
        .withContext(rnd.nextBoolean() ? nasty(rnd) : null).withAcks(rnd.nextInt(5) - 1);
    c = switch (rnd.nextInt(3)) {
      case 0 -> c;
      case 1 -> c.withSloppy(true); // sloppy without a count (a hand-written history)
      default -> c.withSloppyAcks(rnd.nextInt(3));
    };
    return c.withRaw(raw, rnd.nextBoolean() ? "{n1.3=7, n2.1=4}" : null)
        .withError(rnd.nextBoolean() ? nasty(rnd) : null);
  }

  private static String nasty(Random rnd) {
    if (rnd.nextInt(4) == 0) {
      StringBuilder b = new StringBuilder();
      for (int i = rnd.nextInt(12); i > 0; i--) {
        b.append((char) rnd.nextInt(0x10000));
      }
      return b.toString();
    }
    return NASTY[rnd.nextInt(NASTY.length)];
  }
}
