package io.mutagent.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.LogLevel;
import io.mutagent.TestServers;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the logging interceptor writes, and what it never writes, on MockWebServer. */
class LoggingInterceptorTest {
  static final String KEY = "mt_live_S3CRET_key";
  static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl";
  static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  /** A System.Logger that keeps what it is given, loggable from a threshold up. */
  static final class CapturingLogger implements System.Logger {
    record Line(Level level, String message) {}

    final List<Line> lines = new ArrayList<>();
    final Level threshold;

    CapturingLogger(Level threshold) {
      this.threshold = threshold;
    }

    @Override
    public String getName() {
      return "io.mutagent";
    }

    @Override
    public boolean isLoggable(Level level) {
      return level.getSeverity() >= threshold.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
      lines.add(new Line(level, message));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      assertTrue(params == null || params.length == 0, "the interceptor passes no format parameters");
      lines.add(new Line(level, format));
    }

    List<String> messages() {
      return lines.stream().map(Line::message).collect(Collectors.toList());
    }

    String all() {
      return String.join("\n", messages());
    }

    String the(String part) {
      List<String> found = messages().stream().filter(m -> m.contains(part)).collect(Collectors.toList());
      assertEquals(1, found.size(), "one line with '" + part + "' in:\n" + all());
      return found.get(0);
    }
  }

  MockWebServer server;
  CapturingLogger logger = new CapturingLogger(Level.ALL);
  AtomicInteger credentialReads = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  Supplier<Collection<String>> credentials(Collection<String> values) {
    return () -> {
      credentialReads.incrementAndGet();
      return values;
    };
  }

  /** A client as the SDK builds it: headers are added first, then the logging interceptor sees them. */
  OkHttpClient client(LogLevel level, Interceptor... around) {
    return client(level, credentials(List.of(KEY, TOKEN)), around);
  }

  OkHttpClient client(LogLevel level, Supplier<Collection<String>> credentials, Interceptor... around) {
    OkHttpClient.Builder builder = new OkHttpClient.Builder().retryOnConnectionFailure(false);
    for (Interceptor interceptor : around) {
      if (interceptor instanceof Inner) {
        continue;
      }
      builder.addInterceptor(interceptor);
    }
    builder.addInterceptor(new LoggingInterceptor(logger, level, credentials, Set.of("secret")));
    for (Interceptor interceptor : around) {
      if (interceptor instanceof Inner) {
        builder.addInterceptor(interceptor);
      }
    }
    return builder.build();
  }

  /** An interceptor that runs inside the logging one (closer to the network). */
  interface Inner extends Interceptor {}

  static Interceptor header(String name, String value) {
    return chain -> chain.proceed(chain.request().newBuilder().header(name, value).build());
  }

  static Interceptor auth() {
    return chain -> chain.proceed(chain.request().newBuilder()
        .header("x-api-key", KEY).header("Authorization", "Bearer " + TOKEN).build());
  }

  String call(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.body().string();
    }
  }

  Request get(String path) {
    return new Request.Builder().url(server.url(path)).build();
  }

  Request post(String path, String json) {
    return new Request.Builder().url(server.url(path)).post(RequestBody.create(json, JSON)).build();
  }

  static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  @Test
  void infoLogsOneLinePerAttemptWithMethodUrlStatusTimeAndAttempt() throws IOException {
    server.enqueue(new MockResponse().setResponseCode(404).setBody("{}"));
    call(client(LogLevel.INFO), get("/api/prompt?limit=5"));

    assertEquals(1, logger.lines.size(), logger.all());
    assertEquals(Level.INFO, logger.lines.get(0).level());
    String url = server.url("/api/prompt?limit=5").toString();
    assertTrue(logger.lines.get(0).message().matches(
        "GET " + Pattern.quote(url) + " \\(attempt 1\\) -> 404 in \\d+ ms"), logger.all());
  }

  @Test
  void theRetryCountHeaderGivesTheAttemptNumber() throws IOException {
    server.enqueue(new MockResponse());
    server.enqueue(new MockResponse());
    call(client(LogLevel.INFO, header("x-mutagent-retry-count", "2")), get("/a"));
    call(client(LogLevel.INFO, header("x-mutagent-retry-count", "two\tthree")), get("/b"));

    assertTrue(logger.the("/a").contains("(attempt 3) -> 200"), logger.all());
    assertTrue(logger.the("/b").contains("(attempt ? (x-mutagent-retry-count: two\\tthree)) -> 200"), logger.all());
  }

  @Test
  void debugAlsoLogsHeadersAndBodiesEachOnItsOwnLine() throws IOException {
    server.enqueue(json("{\"id\":\"prm_1\",\"name\":\"Support\"}").setResponseCode(201)
        .setHeader("X-Request-Id", "req_42"));
    call(client(LogLevel.DEBUG, header("x-workspace-id", "ws_1")), post("/api/prompt", "{\"name\": \"Support\"}"));

    String prefix = "POST " + server.url("/api/prompt") + " (attempt 1)";
    List<String> messages = logger.messages();
    assertEquals(5, messages.size(), logger.all());
    assertEquals(prefix + " request headers: x-workspace-id: ws_1 | Content-Type: application/json; "
        + "charset=utf-8 | Content-Length: 19", messages.get(0));
    assertEquals(prefix + " request body: {\"name\":\"Support\"}", messages.get(1));
    assertTrue(messages.get(2).startsWith(prefix + " -> 201 in "), messages.get(2));
    assertEquals(prefix + " response headers: Content-Type: application/json | Content-Length: 31"
        + " | X-Request-Id: req_42", messages.get(3));
    assertEquals(prefix + " response body: {\"id\":\"prm_1\",\"name\":\"Support\"}", messages.get(4));
    assertEquals(List.of(Level.DEBUG, Level.DEBUG, Level.INFO, Level.DEBUG, Level.DEBUG),
        logger.lines.stream().map(CapturingLogger.Line::level).collect(Collectors.toList()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Api-Key", "AUTHORIZATION", "proxy-authorization", "Cookie", "Set-Cookie"})
  void aSecretHeaderReadsRedactedWhateverItsCase(String name) throws IOException {
    server.enqueue(new MockResponse().addHeader(name, "server-" + name + "-value"));
    call(client(LogLevel.DEBUG, List.of(), header(name, "client-" + name + "-value")), get("/"));

    assertTrue(logger.the("request headers").endsWith("request headers: " + name + ": [redacted]"), logger.all());
    assertTrue(logger.the("response headers").endsWith(" | " + name + ": [redacted]"), logger.all());
    assertFalse(logger.all().contains("-value"), logger.all());
  }

  OkHttpClient client(LogLevel level, Collection<String> credentials, Interceptor... around) {
    return client(level, credentials(credentials), around);
  }

  @Test
  void secretJsonFieldsReadRedactedAtAnyDepth() throws IOException {
    server.enqueue(json("{\"id\":\"key_1\",\"secret\":\"sk_top\",\"nested\":{\"list\":[{\"secret\":\"sk_deep\","
        + "\"n\":1.50}],\"secret\":{\"a\":\"sk_object\"},\"other\":[true,null]},\"empty\":{\"secret\":null}}"));
    call(client(LogLevel.DEBUG), post("/api/apikeys", "[{\"secret\":\"sk_sent\"},{\"secret\":[1,2]}]"));

    assertEquals("[{\"secret\":\"[redacted]\"},{\"secret\":\"[redacted]\"}]",
        logger.the("request body").replaceFirst(".* request body: ", ""));
    assertEquals("{\"id\":\"key_1\",\"secret\":\"[redacted]\",\"nested\":{\"list\":[{\"secret\":\"[redacted]\","
        + "\"n\":1.50}],\"secret\":\"[redacted]\",\"other\":[true,null]},\"empty\":{\"secret\":null}}",
        logger.the("response body").replaceFirst(".* response body: ", ""));
    assertFalse(logger.all().contains("sk_"), logger.all());
  }

  @Test
  void credentialsAServerEchoesNeverShowInUrlHeadersOrBodies() throws IOException {
    // The key written with a \\u escape in JSON is the same string once parsed: masked too.
    server.enqueue(json("{\"received\":{\"x-api-key\":\"" + KEY + "\",\"authorization\":\"Bearer " + TOKEN
        + "\"},\"escaped\":\"mt_live_S3\\u0043RET_key\",\"" + KEY + "\":1}")
        .setHeader("X-Echo", "key=" + KEY + "; token=" + TOKEN));
    server.enqueue(new MockResponse().setHeader("Content-Type", "text/plain")
        .setBody("you sent " + KEY + " and Bearer " + TOKEN));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    OkHttpClient client = client(LogLevel.DEBUG, auth());
    String path = "/api/prompt?api_key=" + KEY + "&token=" + TOKEN;

    call(client, post(path, "{\"note\":\"my key is " + KEY + "\"}"));
    call(client, get(path));
    assertThrows(IOException.class, () -> call(client, get(path)));

    String all = logger.all();
    assertEquals(11, logger.lines.size(), all);
    assertTrue(all.contains("?api_key=[redacted]&token=[redacted] (attempt 1)"), all);
    assertTrue(all.contains("x-api-key: [redacted] | Authorization: [redacted]"), all);
    assertTrue(all.contains("X-Echo: key=[redacted]; token=[redacted]"), all);
    assertTrue(all.contains("\"escaped\":\"[redacted]\",\"[redacted]\":1}"), all);
    assertTrue(all.contains("response body: you sent [redacted] and Bearer [redacted]"), all);
    assertFalse(all.contains("S3CRET") || all.contains("S3\\u0043RET"), all);
    assertFalse(all.contains("c2lnbmF0dXJl") || all.contains("eyJ"), all);
  }

  @Test
  void aPasswordInTheUrlIsMasked() throws IOException {
    server.enqueue(new MockResponse());
    okhttp3.HttpUrl url = server.url("/api/prompt").newBuilder().username("me").password("pa55-w0rd").build();
    call(client(LogLevel.INFO), new Request.Builder().url(url).build());
    assertTrue(logger.the("GET").startsWith("GET http://me:[redacted]@"), logger.all());
    assertFalse(logger.all().contains("pa55"), logger.all());
  }

  @Test
  void rotatedCredentialsAreReadForEachRequest() throws IOException {
    AtomicReference<String> key = new AtomicReference<>("mt_first_key_1");
    server.enqueue(new MockResponse().setBody("echo mt_first_key_1"));
    server.enqueue(new MockResponse().setBody("echo mt_second_key_2"));
    OkHttpClient client = client(LogLevel.DEBUG, () -> List.of(key.get()));

    call(client, get("/one"));
    key.set("mt_second_key_2");
    call(client, get("/two"));

    assertFalse(logger.all().contains("_key_"), logger.all());
    assertEquals(2, logger.all().split("echo \\[redacted]", -1).length - 1, logger.all());
  }

  @Test
  void aCredentialCutByTheBodyLimitDoesNotShowInPart() throws IOException {
    for (int pad = LoggingInterceptor.MAX_BODY_BYTES - KEY.length(); pad <= LoggingInterceptor.MAX_BODY_BYTES; pad++) {
      server.enqueue(new MockResponse().setHeader("Content-Type", "text/plain")
          .setBody("a".repeat(pad) + KEY + "b".repeat(100)));
      call(client(LogLevel.DEBUG), get("/"));
    }
    List<String> bodies = logger.messages().stream().filter(m -> m.contains("response body"))
        .collect(Collectors.toList());
    assertEquals(KEY.length() + 1, bodies.size());
    for (String body : bodies) {
      assertTrue(body.matches(".* response body: a+(\\[redacted])?\\.\\.\\. \\[truncated, \\d+ bytes in all]"),
          body.substring(body.length() - 80));
    }
  }

  @Test
  void controlCharsInServerTextNeverStartANewLine() throws IOException {
    server.enqueue(new MockResponse()
        .addHeaderLenient("X-Evil", "ok\rGET http://x/ (attempt 1) -> 200 in 0 ms\u001b[2K\u202e")
        .setHeader("Content-Type", "text/plain")
        .setBody("line1\r\nINFO forged\u2028line\u0085end"));
    call(client(LogLevel.DEBUG), get("/"));

    assertEquals(4, logger.lines.size(), logger.all());
    for (String message : logger.messages()) {
      assertTrue(message.chars().noneMatch(c -> c < 0x20 || c == 0x85 || c == 0x2028 || c == 0x202e), message);
    }
    assertTrue(logger.the("X-Evil").contains("X-Evil: ok\\rGET http://x/ (attempt 1) -> 200 in 0 ms\\u001b[2K\\u202e"),
        logger.all());
    assertTrue(logger.the("response body").endsWith("response body: line1\\r\\nINFO forged\\u2028line\\u0085end"),
        logger.all());
  }

  @Test
  void offLogsNothingAndDoesNoWork() throws IOException {
    server.enqueue(new MockResponse().setBody("x"));
    assertEquals("x", call(client(LogLevel.OFF), get("/")));
    assertEquals(List.of(), logger.lines);
    assertEquals(0, credentialReads.get());
  }

  @Test
  void aLoggerThatIsOffForInfoGetsNothingAndCostsNothing() throws IOException {
    logger = new CapturingLogger(Level.WARNING);
    server.enqueue(new MockResponse().setBody("x"));
    assertEquals("x", call(client(LogLevel.DEBUG), get("/")));
    assertEquals(List.of(), logger.lines);
    assertEquals(0, credentialReads.get());
  }

  @Test
  void debugWithALoggerAtInfoLogsOnlyTheInfoLine() throws IOException {
    logger = new CapturingLogger(Level.INFO);
    server.enqueue(new MockResponse().setBody("x"));
    call(client(LogLevel.DEBUG), post("/", "{}"));
    assertEquals(1, logger.lines.size(), logger.all());
    assertEquals(Level.INFO, logger.lines.get(0).level());
  }

  @Test
  void theCallerStillReadsTheWholeResponseBody() throws IOException {
    String big = "{\"items\":[" + "\"item\",".repeat(20_000) + "\"last\"]}";
    server.enqueue(json(big));
    server.enqueue(new MockResponse().setHeader("Content-Type", "text/plain").setChunkedBody("z".repeat(50_000), 1024));

    assertEquals(big, call(client(LogLevel.DEBUG), get("/json")));
    assertEquals("z".repeat(50_000), call(client(LogLevel.DEBUG), get("/chunked")));

    String json = logger.the("/json (attempt 1) response body");
    assertTrue(json.contains("response body: {\"items\":[\"item\",\"item\""), json.substring(0, 200));
    assertTrue(json.endsWith("\"item\"... [truncated, " + big.length() + " bytes in all]"),
        json.substring(json.length() - 80));
    assertTrue(logger.the("/chunked (attempt 1) response body").endsWith("z... [truncated]"), logger.all());
  }

  @Test
  void aJsonBodyCutByTheLimitShowsOnlyWholeTokens() throws IOException {
    String body = "{\"pad\":\"" + "p".repeat(LoggingInterceptor.MAX_BODY_BYTES - 30) + "\",\"secret\":\"sk_"
        + "s".repeat(200) + "\",\"note\":\"" + "n".repeat(5000) + "\"}";
    server.enqueue(json(body));
    call(client(LogLevel.DEBUG), get("/"));
    assertFalse(logger.all().contains("sk_"), logger.all());
    assertTrue(logger.the("response body").endsWith("p\",\"secret\":\"[redacted]\"... [truncated, "
        + body.length() + " bytes in all]"), logger.all());
  }

  @Test
  void jsonThatBreaksOffShowsWhatWasValidAndNeverTheRest() throws IOException {
    server.enqueue(json("{\"id\":\"a\",\"secret\": sk_unquoted, \"x\":1}"));
    server.enqueue(json("<html>oops</html>"));
    call(client(LogLevel.DEBUG), get("/broken"));
    call(client(LogLevel.DEBUG), get("/html"));

    assertTrue(logger.the("/broken (attempt 1) response body").endsWith(
        "response body: {\"id\":\"a\" [not valid JSON past this point]"), logger.all());
    assertTrue(logger.the("/html (attempt 1) response body").endsWith("response body: <html>oops</html>"),
        logger.all());
    assertFalse(logger.all().contains("sk_"), logger.all());
  }

  @Test
  void binaryBodiesShowOnlyTheirSizeAndType() throws IOException {
    server.enqueue(new MockResponse().setHeader("Content-Type", "application/octet-stream")
        .setBody(new okio.Buffer().write(new byte[] {0, 1, 2})));
    call(client(LogLevel.DEBUG), new Request.Builder().url(server.url("/api/traces/otlp"))
        .post(RequestBody.create(new byte[] {10, 3, 'a', 'b', 'c'}, MediaType.get("application/x-protobuf")))
        .build());

    assertTrue(logger.the("request body").endsWith("request body: <5 bytes, application/x-protobuf>"), logger.all());
    assertTrue(logger.the("response body").endsWith("response body: <3 bytes, application/octet-stream>"),
        logger.all());
  }

  @Test
  void aLargeRequestBodyIsNotCopied() throws Exception {
    String big = "{\"a\":\"" + "x".repeat(LoggingInterceptor.MAX_REQUEST_BODY_COPY) + "\"}";
    server.enqueue(new MockResponse());
    call(client(LogLevel.DEBUG), post("/", big));
    assertTrue(logger.the("request body").endsWith("request body: <" + big.length()
        + " bytes, application/json; charset=utf-8>"), logger.all());
    assertEquals(big, server.takeRequest().getBody().readUtf8());
  }

  @Test
  void anEmptyResponseBodySaysSo() throws IOException {
    server.enqueue(new MockResponse().setResponseCode(204));
    call(client(LogLevel.DEBUG), get("/"));
    assertTrue(logger.the("response body").endsWith("response body: (empty)"), logger.all());
  }

  @Test
  void aBodyThatCannotBeReadForTheLogStillReachesTheCaller() throws IOException {
    server.enqueue(new MockResponse().setHeader("Content-Type", "text/plain").setBody("x".repeat(6000))
        .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    try (Response response = client(LogLevel.DEBUG).newCall(get("/")).execute()) {
      assertEquals(200, response.code());
      assertThrows(IOException.class, () -> response.body().string());
    }
    assertTrue(logger.the("response body").contains("response body: (not shown: reading it failed with "),
        logger.all());
  }

  @Test
  void aDroppedConnectionLogsTheFailedAttempt() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    IOException e = assertThrows(IOException.class, () -> call(client(LogLevel.INFO), get("/api/prompt")));

    assertEquals(1, logger.lines.size(), logger.all());
    assertEquals(Level.INFO, logger.lines.get(0).level());
    assertTrue(logger.lines.get(0).message().matches("GET " + Pattern.quote(server.url("/api/prompt").toString())
        + " \\(attempt 1\\) -> failed after \\d+ ms: " + Pattern.quote(e.getClass().getName() + ": "
        + e.getMessage())), logger.all());
  }

  @Test
  void aFailureIsRethrownUnchangedAndItsMessageIsMadeSafe() {
    IOException failure = new IOException("reset by " + KEY + "\r\nINFO forged");
    Inner failing = chain -> {
      throw failure;
    };
    IOException thrown = assertThrows(IOException.class, () -> call(client(LogLevel.INFO, failing), get("/")));

    assertSame(failure, thrown);
    assertEquals("reset by " + KEY + "\r\nINFO forged", thrown.getMessage());
    assertTrue(logger.the("failed after").endsWith(
        " ms: java.io.IOException: reset by [redacted]\\r\\nINFO forged"), logger.all());
  }
}
