package io.kvstore.bench.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedResourceTest {
  @Test
  void oneClientPerKeyBuiltOnceAndClosedByTheLastRelease() throws Exception {
    SharedResource<AutoCloseable> shared = new SharedResource<>();
    AtomicInteger built = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    AutoCloseable client = closed::incrementAndGet;
    assertSame(client, shared.acquire("k", () -> { built.incrementAndGet(); return client; }));
    assertSame(client, shared.acquire("k", () -> { built.incrementAndGet(); return client; }));
    assertEquals(1, built.get());
    shared.release("k");
    assertEquals(0, closed.get(), "one thread still holds it");
    shared.release("k");
    assertEquals(1, closed.get());
    assertEquals(0, shared.references("k"));
    assertThrows(IllegalStateException.class, () -> shared.release("k"));
    shared.acquire("k", () -> { built.incrementAndGet(); return client; });
    assertEquals(2, built.get(), "after the last release a new one is built");
  }

  @Test
  void errorLogPrintsTheFirstOfEachKindAndCountsAll() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ErrorLog log = new ErrorLog("test", new PrintStream(bytes, true, StandardCharsets.UTF_8));
    log.error("read UNAVAILABLE", "quorum not reached");
    log.error("read UNAVAILABLE", "quorum not reached again");
    log.error("update DEADLINE_EXCEEDED", "slow");
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(2, printed.lines().count(), printed);
    assertTrue(printed.contains("read UNAVAILABLE: quorum not reached "), printed);
    assertEquals(3, log.total());
  }
}
