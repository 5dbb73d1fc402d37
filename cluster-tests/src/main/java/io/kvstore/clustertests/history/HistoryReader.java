package io.kvstore.clustertests.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Reads back what {@link HistoryWriter} wrote, as a read-only {@link History}. Strict: the first
 * line must be a header of a known version, the last a footer whose line count and CRC-32 match,
 * and every line in between an op or a fault event. Any deviation is a {@link
 * HistoryFormatException} naming the line.
 *
 * <p>Thread safety: stateless.
 */
public final class HistoryReader {
  private HistoryReader() {}

  public static History read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r, file.toString());
    }
  }

  /** Reads from {@code in}; {@code name} is used in error messages. */
  public static History read(Reader in, String name) throws IOException {
    BufferedReader r = new BufferedReader(in);
    CRC32 crc = new CRC32();
    HistoryHeader header = null;
    List<Op> ops = new ArrayList<>();
    Map<Integer, FaultWindow> faults = new TreeMap<>();
    int n = 0;
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      n++;
      Fields f = parse(name, n, line);
      String type = f.string("type");
      if (n == 1) {
        header = header(f);
      } else if (type.equals("footer")) {
        footer(f, n - 1, crc.getValue());
        if (r.readLine() != null) {
          throw f.error("lines after the footer");
        }
        return restore(f, header, ops, faults);
      } else if (type.equals("nemesis")) {
        fault(f, faults);
      } else {
        ops.add(op(f));
      }
      crc.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    throw new HistoryFormatException(name, n, "no footer: the file is truncated");
  }

  private static Fields parse(String name, int n, String line) throws HistoryFormatException {
    try {
      return new Fields(name, n, JsonParser.parseObject(line));
    } catch (IllegalArgumentException e) {
      throw new HistoryFormatException(name, n, "not a JSON object: " + e.getMessage(), e);
    }
  }

  private static HistoryHeader header(Fields f) throws HistoryFormatException {
    if (!f.string("type").equals("header") || !HistoryWriter.FORMAT.equals(f.optString("format"))) {
      throw f.error("not a kvstore history (no header line)");
    }
    long version = f.number("version");
    if (version > HistoryWriter.VERSION) {
      throw f.error("format version " + version + " is newer than " + HistoryWriter.VERSION);
    }
    if (version < 1) {
      throw f.error("bad format version " + version);
    }
    try {
      return new HistoryHeader(f.number("seed"), f.string("scenario"),
          Instant.parse(f.string("start")));
    } catch (DateTimeParseException e) {
      throw f.error("bad start time: " + e.getMessage());
    }
  }

  private static void footer(Fields f, long lines, long crc) throws HistoryFormatException {
    if (f.number("lines") != lines) {
      throw f.error("footer counts " + f.number("lines") + " lines, found " + lines);
    }
    if (f.number("crc32") != crc) {
      throw f.error("CRC-32 mismatch: footer " + f.number("crc32") + ", content " + crc);
    }
  }

  private static Op op(Fields f) throws HistoryFormatException {
    try {
      List<RawSibling> raw = new ArrayList<>();
      for (Fields s : f.objects("raw")) {
        raw.add(new RawSibling(s.string("dot"), s.string("value"), s.flag("tombstone")));
      }
      return new Op(f.number("index"), (int) f.number("process"),
          Op.Type.fromJson(f.string("type")), Op.F.fromJson(f.string("f")), f.string("key"),
          f.optString("value"), f.strings("values"), f.number("time"), f.optString("node"),
          f.has("client") ? ClientKind.fromJson(f.string("client")) : ClientKind.PINNED,
          f.optString("context"), f.has("acks") ? (int) f.number("acks") : -1, f.flag("sloppy"),
          f.has("sloppyAcks") ? (int) f.number("sloppyAcks") : 0, raw, f.optString("clock"),
          f.optString("error"));
    } catch (IllegalArgumentException e) {
      throw f.error("bad op: " + e.getMessage());
    }
  }

  private static void fault(Fields f, Map<Integer, FaultWindow> faults)
      throws HistoryFormatException {
    int id = (int) f.number("id");
    String phase = f.string("phase");
    FaultWindow open = faults.get(id);
    try {
      if (phase.equals("start") && open == null) {
        faults.put(id, new FaultWindow(id, f.string("nemesis"), f.number("time"),
            FaultWindow.OPEN, f.string("description")));
      } else if (phase.equals("end") && open != null && open.isOpen()) {
        faults.put(id, open.closedAt(f.number("time")));
      } else {
        throw f.error("unexpected " + phase + " of fault window " + id);
      }
    } catch (IllegalArgumentException e) {
      throw f.error("bad fault event: " + e.getMessage());
    }
  }

  private static History restore(Fields f, HistoryHeader header, List<Op> ops,
      Map<Integer, FaultWindow> faults) throws HistoryFormatException {
    List<FaultWindow> windows = new ArrayList<>(faults.values());
    for (int i = 0; i < windows.size(); i++) {
      if (windows.get(i).id() != i) {
        throw f.error("fault window ids are not 0.." + (windows.size() - 1));
      }
    }
    try {
      return History.restore(header, ops, windows);
    } catch (IllegalArgumentException e) {
      throw f.error("inconsistent history: " + e.getMessage());
    }
  }
}
