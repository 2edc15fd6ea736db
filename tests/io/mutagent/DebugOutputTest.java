package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.ConsoleHandler;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DEBUG on java.util.logging as the JDK ships it: the client attaches a stderr handler to the
 * {@code io.mutagent} logger for the lines below INFO (DebugOutput), unless the application
 * configured logging itself. Each test leaves the JUL loggers as it found them.
 */
class DebugOutputTest {
  /** Held: the LogManager keeps loggers weakly, and a collected one would lose what a test set. */
  final Logger mutagent = Logger.getLogger("io.mutagent");
  final Logger root = Logger.getLogger("");

  /** The io.mutagent lines that passed the level of the root's ConsoleHandler ("LEVEL message"), kept off the console. */
  final StringBuilder atRoot = new StringBuilder();
  Handler console;
  Filter consoleFilter;
  MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    // What every test here takes for granted: this JVM runs JUL as the JDK ships it, and nothing
    // has configured io.mutagent. (Reading the root's handlers also makes the JDK create its
    // ConsoleHandler now, on the real System.err, not on the stream a test swaps in.)
    assertEquals("java.logging", System.LoggerFinder.getLoggerFinder().getClass().getModule().getName());
    Handler[] rootHandlers = root.getHandlers();
    assertEquals(Level.INFO, root.getLevel());
    assertEquals(1, rootHandlers.length, Arrays.toString(rootHandlers));
    assertSame(ConsoleHandler.class, rootHandlers[0].getClass());
    assertUnconfigured();
    // The test's own filter on the root's handler (put back after each test; the SDK looks only at
    // the handler's class and level): the SDK's lines that pass its level are kept, not printed.
    console = rootHandlers[0];
    consoleFilter = console.getFilter();
    console.setFilter(record -> {
      if (!"io.mutagent".equals(record.getLoggerName())) {
        return consoleFilter == null || consoleFilter.isLoggable(record);
      }
      synchronized (atRoot) {
        atRoot.append(record.getLevel()).append(' ').append(record.getMessage()).append('\n');
      }
      return false;
    });
    server = TestServers.mockWebServer();
    server.start();
  }

  @AfterEach
  void restore() throws IOException {
    server.shutdown();
    for (Handler handler : mutagent.getHandlers()) {
      mutagent.removeHandler(handler);
      handler.close();
    }
    mutagent.setLevel(null);
    console.setFilter(consoleFilter);
  }

  void assertUnconfigured() {
    assertNull(mutagent.getLevel());
    assertArrayEquals(new Handler[0], mutagent.getHandlers());
  }

  MockResponse page() {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(ClientTransportTest.PAGE);
  }

  /**
   * Builds a client while System.err is a buffer, has it make one call (System.err is back by
   * then), and returns the buffer: what a handler attached at build time wrote.
   */
  String stderrOf(Supplier<Mutagent> build) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(captured, true, Charset.defaultCharset());
    Mutagent client;
    System.setErr(stream);
    try {
      client = build.get();
    } finally {
      System.setErr(original);
    }
    try (client) {
      client.prompt().listPrompts();
    }
    stream.flush();
    return captured.toString(Charset.defaultCharset());
  }

  /** A handler of the application's own that keeps "LEVEL message" lines. */
  static Handler recording(StringBuilder seen) {
    return new Handler() {
      @Override
      public synchronized void publish(LogRecord record) {
        seen.append(record.getLevel()).append(' ').append(record.getMessage()).append('\n');
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  @Test
  void debugOnUnconfiguredJdkLoggingWritesTheLinesBelowInfoToStderr() {
    server.enqueue(page());
    String stderr = stderrOf(() -> TestClients.mutagent().serverUrl(server.url("/").toString())
        .logLevel(LogLevel.DEBUG).build());

    String call = "GET " + server.url("/api/prompt") + " (attempt 1)";
    assertTrue(stderr.contains("FINE: " + call + " request headers: "), stderr);
    assertTrue(stderr.contains("FINE: " + call + " response body: {\"data\":[]"), stderr);
    // The SDK's handler leaves the INFO line out: the root's handler prints it, so not twice.
    assertFalse(stderr.contains("INFO:"), stderr);
    assertFalse(stderr.contains(" -> 200 in "), stderr);
    assertEquals(Level.FINE, mutagent.getLevel());
    assertEquals(1, mutagent.getHandlers().length);
    // The INFO line still reaches the root's ConsoleHandler, past its INFO level, as before.
    assertTrue(atRoot.toString().contains("INFO " + call + " -> 200 in "), atRoot.toString());
    assertEquals(1, root.getHandlers().length, "the root logger is left alone");
    assertEquals(Level.INFO, root.getLevel());
  }

  @Test
  void mutagentLogDebugDoesTheSameOnceAndOnlyForDebugWithTheDefaultLogger() {
    server.enqueue(page());
    server.enqueue(page());
    server.enqueue(page());
    server.enqueue(page());
    String url = server.url("/").toString();
    // INFO, or a logger put in place of the default one, attaches nothing.
    assertEquals("", stderrOf(() -> TestClients.mutagent().serverUrl(url).logLevel(LogLevel.INFO).build()));
    LoggingEndToEndTest.Captured log = new LoggingEndToEndTest.Captured();
    stderrOf(() -> TestClients.mutagent().serverUrl(url).logLevel(LogLevel.DEBUG).logger(log).build());
    assertUnconfigured();
    assertTrue(log.all().contains("request headers"), log.all());

    String stderr = stderrOf(() -> Mutagent.builder().environment(Map.of("MUTAGENT_LOG", "debug")).serverUrl(url).build());
    assertTrue(stderr.contains("FINE: GET " + server.url("/api/prompt") + " (attempt 1) request headers: "), stderr);
    Handler attached = mutagent.getHandlers()[0];
    // A second client finds io.mutagent configured (by the first) and leaves it.
    stderrOf(() -> Mutagent.builder().environment(Map.of("MUTAGENT_LOG", "debug")).serverUrl(url).build());
    assertArrayEquals(new Handler[] {attached}, mutagent.getHandlers());
  }

  @Test
  void aLevelTheApplicationSetOnIoMutagentDecides() {
    server.enqueue(page());
    mutagent.setLevel(Level.FINE);
    String stderr = stderrOf(() -> TestClients.mutagent().serverUrl(server.url("/").toString())
        .logLevel(LogLevel.DEBUG).build());
    assertEquals("", stderr);
    assertEquals(Level.FINE, mutagent.getLevel());
    assertArrayEquals(new Handler[0], mutagent.getHandlers());
  }

  @Test
  void aHandlerTheApplicationSetOnIoMutagentDecides() {
    server.enqueue(page());
    StringBuilder seen = new StringBuilder();
    Handler own = recording(seen);
    mutagent.addHandler(own);
    String stderr = stderrOf(() -> TestClients.mutagent().serverUrl(server.url("/").toString())
        .logLevel(LogLevel.DEBUG).build());
    assertEquals("", stderr);
    assertNull(mutagent.getLevel());
    assertArrayEquals(new Handler[] {own}, mutagent.getHandlers());
    // The logger's level is still the root's INFO: the application's handler gets the INFO line only.
    assertTrue(seen.toString().matches("INFO GET \\S+ \\(attempt 1\\) -> 200 in \\d+ ms\n"), seen.toString());
  }

  @Test
  void aRootLoggerTheApplicationConfiguredDecides() {
    server.enqueue(page());
    // A handler of its own next to the JDK's ConsoleHandler (a bridge to another backend, say).
    StringBuilder seen = new StringBuilder();
    Handler extra = recording(seen);
    root.addHandler(extra);
    try {
      String stderr = stderrOf(() -> TestClients.mutagent().serverUrl(server.url("/").toString())
          .logLevel(LogLevel.DEBUG).build());
      assertEquals("", stderr);
      assertUnconfigured();
      assertTrue(seen.toString().contains(" -> 200 in "), seen.toString());
      assertFalse(seen.toString().contains("FINE"), seen.toString());
    } finally {
      root.removeHandler(extra);
    }
  }
}
