package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.MutagentApiException;
import io.mutagent.models.CreateApiKeyRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Logging through the whole client: what a debug run shows, and that no credential is in it. */
class LoggingEndToEndTest {
  static final String KEY = "mt_live_RECOGNISABLE_key_7f3a";
  static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.RECOGNISABLE_token.c2ln";

  /** Keeps every line, at every level. */
  static final class Captured implements System.Logger {
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String getName() {
      return "io.mutagent";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
      lines.add(level + " " + message + (thrown == null ? "" : " " + thrown));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(level + " " + format);
    }

    String all() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }
  }

  MockWebServer server;
  Captured log;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
    log = new Captured();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  /** A server that quotes the client's credential back wherever it can. */
  MockResponse echoing(int code, String body) {
    return echoing(code, body, KEY);
  }

  MockResponse echoing(int code, String body, String credential) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setHeader("X-Request-Id", "req_" + credential).setHeader("X-Echo", "Bearer " + credential)
        .setHeader("Set-Cookie", "session=" + credential).setBody(body);
  }

  @Test
  void aDebugRunShowsTheExchangeButNeitherTheKeyNorTheToken() throws Exception {
    String created = "{\"id\":\"key_1\",\"name\":\"ci\",\"key\":\"mt_new_SECRET_of_the_created_key\",\"scope\":\"workspace\","
        + "\"prefix\":\"mt_new\",\"createdAt\":\"2026-10-12T08:30:00Z\",\"echo\":\"" + KEY + "\"}";
    server.enqueue(echoing(429, "{\"error\":\"busy\",\"message\":\"your key " + KEY + " is busy\"}").setHeader("Retry-After", "1"));
    server.enqueue(echoing(201, created));
    server.enqueue(echoing(401, "{\"error\":\"unauthorized\",\"message\":\"token " + TOKEN + " expired\"}", TOKEN));
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString())
        .scheduler(new FakeScheduler()).logLevel(LogLevel.DEBUG).logger(log).build()) {
      client.apiKeys().createApiKey(CreateApiKeyRequest.builder().name("ci").scope(io.mutagent.models.ApiKeyScope.WORKSPACE).build(),
          RequestOptions.builder().header("X-Note", KEY).build());
      try (Mutagent bearer = TestClients.mutagent().bearerToken(TOKEN).serverUrl(server.url("/").toString())
          .logLevel(LogLevel.DEBUG).logger(log).build()) {
        MutagentApiException e = assertThrows(MutagentApiException.class, () -> bearer.apiKeys().listApiKeys());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
      }
    }
    String all = log.all();
    assertTrue(all.contains("POST " + server.url("/api/api-keys")), all);
    assertTrue(all.contains("retrying POST /api/api-keys"), "the retry and its reason are logged:\n" + all);
    assertTrue(all.contains("(attempt 2)"), all);
    assertTrue(all.contains("request headers"), "DEBUG shows headers:\n" + all);
    assertTrue(all.contains("response body"), "DEBUG shows bodies:\n" + all);
    assertFalse(all.contains(KEY), "the API key appears in the log:\n" + all);
    assertFalse(all.contains(TOKEN), "the bearer token appears in the log:\n" + all);
    assertFalse(all.contains("SECRET_of_the_created_key"), "a field the spec marks secret appears in the log:\n" + all);
    assertEquals(3, server.getRequestCount());
  }

  @Test
  void offByDefaultAndMutagentLogTurnsItOn() throws Exception {
    server.enqueue(echoing(200, ClientTransportTest.PAGE));
    server.enqueue(echoing(200, ClientTransportTest.PAGE));
    try (Mutagent quiet = TestClients.mutagent().serverUrl(server.url("/").toString()).logger(log).build()) {
      quiet.prompt().listPrompts();
    }
    assertEquals("", log.all(), "nothing is logged unless asked for");
    try (Mutagent loud = Mutagent.builder().environment(Map.of("MUTAGENT_LOG", "info"))
        .serverUrl(server.url("/").toString()).logger(log).build()) {
      loud.prompt().listPrompts();
    }
    assertEquals(1, log.lines.size(), log.all());
    assertTrue(log.lines.get(0).contains("GET " + server.url("/api/prompt") + " (attempt 1) -> 200"), log.all());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> Mutagent.builder().environment(Map.of("MUTAGENT_LOG", "verbose")).build());
    assertTrue(bad.getMessage().startsWith("MUTAGENT_LOG is 'verbose'"), bad.getMessage());
  }

  @Test
  void aCopyCanLogWhileItsOriginalStaysQuiet() throws Exception {
    server.enqueue(echoing(200, ClientTransportTest.PAGE));
    server.enqueue(echoing(200, ClientTransportTest.PAGE));
    try (AsyncMutagent client = TestClients.asyncMutagent().serverUrl(server.url("/").toString()).logger(log).build()) {
      client.prompt().listPrompts().get(5, TimeUnit.SECONDS);
      assertEquals(0, log.lines.size());
      client.withOptions(b -> b.logLevel(LogLevel.INFO)).prompt().listPrompts().get(5, TimeUnit.SECONDS);
      assertEquals(1, log.lines.size(), log.all());
    }
  }
}
