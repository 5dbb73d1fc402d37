package io.kvstore.clustertests.history;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a {@link History} as JSONL (FORMAT.md in this directory): a header line, ops and fault
 * events merged in time order, then a footer with the line count and a CRC-32.
 *
 * <p>Thread safety: stateless; the history is snapshotted first, so recording may continue.
 */
public final class HistoryWriter {
  static final String FORMAT = "kvstore-history";
  static final int VERSION = 1;

  private HistoryWriter() {}

  /** Writes the history to {@code file} (replacing it), UTF-8 (in fact pure ASCII). */
  public static void write(History h, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(h, w);
    }
  }

  public static void write(History h, Writer out) throws IOException {
    CRC32 crc = new CRC32();
    long lines = 0;
    for (String line : lines(h)) {
      String l = line + "\n";
      crc.update(l.getBytes(StandardCharsets.US_ASCII));
      out.write(l);
      lines++;
    }
    out.write(new JsonLine().put("type", "footer").put("lines", lines)
        .put("crc32", crc.getValue()) + "\n");
    out.flush();
  }

  /** The lines before the footer, without newlines. */
  static List<String> lines(History h) {
    List<String> out = new ArrayList<>();
    HistoryHeader hh = h.header();
    out.add(new JsonLine().put("type", "header").put("format", FORMAT).put("version", VERSION)
        .put("seed", hh.seed()).put("scenario", hh.scenario()).put("start", hh.start().toString())
        .toString());
    List<Event> events = events(h.faults());
    int e = 0;
    for (Op op : h.ops()) {
      while (e < events.size() && events.get(e).time <= op.time()) {
        out.add(events.get(e++).json());
      }
      out.add(op(op));
    }
    while (e < events.size()) {
      out.add(events.get(e++).json());
    }
    return out;
  }

  static String op(Op op) {
    JsonLine j = new JsonLine().put("type", op.type().jsonName()).put("index", op.index())
        .put("process", op.process()).put("f", op.f().jsonName()).put("key", op.key())
        .putIfPresent("value", op.value()).put("time", op.time()).putIfPresent("node", op.node())
        .putIfPresent("context", op.context());
    if (op.client() != ClientKind.PINNED) {
      j.put("client", op.client().jsonName());
    }
    if (op.acks() != -1) {
      j.put("acks", op.acks());
    }
    if (op.sloppy()) {
      j.put("sloppy", true);
    }
    if (op.sloppyAcks() > 0) {
      j.put("sloppyAcks", op.sloppyAcks());
    }
    if (!op.values().isEmpty() || (op.isOk() && op.f().isRead())) {
      j.putStrings("values", op.values());
    }
    if (!op.raw().isEmpty()) {
      List<JsonLine> raw = new ArrayList<>();
      for (RawSibling s : op.raw()) {
        JsonLine r = new JsonLine().put("dot", s.dot()).put("value", s.value());
        raw.add(s.tombstone() ? r.put("tombstone", true) : r);
      }
      j.putObjects("raw", raw);
    }
    return j.putIfPresent("clock", op.clock()).putIfPresent("error", op.error()).toString();
  }

  private record Event(long time, FaultWindow w, boolean start) {
    String json() {
      return new JsonLine().put("type", "nemesis").put("phase", start ? "start" : "end")
          .put("id", w.id()).put("nemesis", w.nemesis()).put("time", time)
          .put("description", w.description()).toString();
    }
  }

  private static List<Event> events(List<FaultWindow> faults) {
    List<Event> ev = new ArrayList<>();
    for (FaultWindow w : faults) {
      ev.add(new Event(w.startNanos(), w, true));
      if (!w.isOpen()) {
        ev.add(new Event(w.endNanos(), w, false));
      }
    }
    ev.sort(Comparator.comparingLong(Event::time).thenComparing(x -> !x.start)
        .thenComparingInt(x -> x.w.id()));
    return ev;
  }
}
