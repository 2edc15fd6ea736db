package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.InternalServerException;
import io.mutagent.errors.MutagentApiException;
import io.mutagent.errors.MutagentException;
import io.mutagent.errors.MutagentIoException;
import io.mutagent.errors.RateLimitException;
import io.mutagent.models.CreatePromptRequest;
import io.mutagent.models.Prompt;
import io.mutagent.models.UpdatePromptRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The retry rule, attempt by attempt, on MockWebServer with a fake clock: which statuses and
 * failures are retried for each method, the waits, the deadline, and that a write is never sent
 * twice where the server may have acted on it.
 */
class RetryTest {
  static final String KEY = "mt_retry_test_key";
  static final String PROMPT = "{\"id\":\"prm_7Hq2mXk9\",\"workspaceId\":\"ws_1\",\"name\":\"n\","
      + "\"content\":\"c\",\"status\":\"active\",\"latestVersion\":1,"
      + "\"createdAt\":\"2026-10-12T08:30:00Z\",\"updatedAt\":\"2026-11-02T09:14:00Z\"}";
  static final CreatePromptRequest CREATE = CreatePromptRequest.builder().name("n").content("c").build();

  MockWebServer server;
  FakeScheduler clock;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
    clock = new FakeScheduler();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  Mutagent.Builder builder() {
    return TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString()).scheduler(clock);
  }

  static MockResponse status(int code) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody("{\"error\":\"e" + code + "\",\"message\":\"status " + code + "\"}");
  }

  static MockResponse ok(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  /** Calls the operation for a method: GET getPrompt, POST createPrompt, PATCH updatePrompt, DELETE deletePrompt. */
  static void call(Mutagent client, String method) {
    switch (method) {
      case "GET": client.prompt().getPrompt("prm_1"); break;
      case "POST": client.prompt().createPrompt(CREATE); break;
      case "PATCH": client.prompt().updatePrompt("prm_1", UpdatePromptRequest.builder().name("x").build()); break;
      case "DELETE": client.prompt().deletePrompt("prm_1"); break;
      default: throw new AssertionError(method);
    }
  }

  // The API has no PUT; GET and DELETE stand for the idempotent methods, POST and PATCH for writes.
  @ParameterizedTest(name = "{0} answered {1}{2}: {3} attempts")
  @CsvSource({
      "GET, 408, '', 3", "GET, 429, '', 3", "GET, 500, '', 3", "GET, 502, '', 3", "GET, 503, '', 3",
      "GET, 504, '', 3", "GET, 400, '', 1", "GET, 401, '', 1", "GET, 404, '', 1", "GET, 409, '', 1",
      "DELETE, 408, '', 3", "DELETE, 500, '', 3", "DELETE, 503, '', 3", "DELETE, 504, '', 3", "DELETE, 404, '', 1",
      "POST, 408, '', 1", "POST, 429, '', 3", "POST, 500, '', 1", "POST, 502, '', 1", "POST, 503, '', 1",
      "POST, 503, ' with Retry-After', 3", "POST, 504, '', 1", "POST, 400, '', 1", "POST, 409, '', 1",
      "PATCH, 408, '', 1", "PATCH, 429, '', 3", "PATCH, 500, '', 1", "PATCH, 503, '', 1",
      "PATCH, 503, ' with Retry-After', 3", "PATCH, 504, '', 1"})
  void attemptsPerMethodAndStatus(String method, int code, String retryAfter, int attempts) throws Exception {
    for (int i = 0; i < 3; i++) {
      MockResponse response = status(code);
      if (!retryAfter.isEmpty()) {
        response.setHeader("Retry-After", "1");
      }
      server.enqueue(response);
    }
    try (Mutagent client = builder().build()) {
      MutagentApiException e = assertThrows(MutagentApiException.class, () -> call(client, method));
      assertEquals(code, e.statusCode());
    }
    assertEquals(attempts, server.getRequestCount(), method + " " + code + retryAfter);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < attempts; i++) {
      RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
      assertEquals(method, request.getMethod());
      assertEquals(i == 0 ? null : Integer.toString(i), request.getHeader("X-Mutagent-Retry-Count"));
      keys.add(request.getHeader("Idempotency-Key"));
    }
    if (method.equals("POST") || method.equals("PATCH")) {
      assertNotNull(keys.get(0), "every write carries an Idempotency-Key");
      assertEquals(Collections.nCopies(attempts, keys.get(0)), keys, "the same key on every attempt");
    } else {
      assertEquals(Collections.nCopies(attempts, (String) null), keys, "reads carry no Idempotency-Key");
    }
  }

  @Test
  void backoffStartsAtHalfASecondAndDoubles() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(status(500));
    }
    try (Mutagent client = builder().maxRetries(3).build()) {
      assertThrows(InternalServerException.class, () -> client.prompt().getPrompt("prm_1"));
    }
    assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(2000)), clock.waits);
  }

  @Test
  void retryAfterInSecondsAsAnHttpDateAndInMillisIsWaited() {
    String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5));
    server.enqueue(status(429).setHeader("Retry-After", "3"));
    server.enqueue(status(429).setHeader("Retry-After", inFiveSeconds));
    server.enqueue(status(429).setHeader("Retry-After-Ms", "250").setHeader("Retry-After", "9"));
    server.enqueue(ok(200, PROMPT));
    try (Mutagent client = builder().maxRetries(3).build()) {
      assertEquals("prm_7Hq2mXk9", client.prompt().getPrompt("prm_1").id());
    }
    assertEquals(Duration.ofSeconds(3), clock.waits.get(0));
    Duration date = clock.waits.get(1);
    assertTrue(date.compareTo(Duration.ofSeconds(3)) > 0 && date.compareTo(Duration.ofSeconds(5)) <= 0, date.toString());
    assertEquals(Duration.ofMillis(250), clock.waits.get(2), "Retry-After-Ms wins over Retry-After");
  }

  @Test
  void aRequestedWaitOverSixtySecondsIsNotWaitedAndTheErrorSaysWhen() {
    server.enqueue(status(429).setHeader("Retry-After", "120"));
    server.enqueue(ok(200, PROMPT));
    try (Mutagent client = builder().build()) {
      RateLimitException e = assertThrows(RateLimitException.class, () -> client.prompt().getPrompt("prm_1"));
      Duration left = e.retryAfter().orElseThrow();
      assertTrue(left.compareTo(Duration.ofSeconds(110)) > 0 && left.compareTo(Duration.ofSeconds(120)) <= 0, left.toString());
    }
    assertEquals(1, server.getRequestCount());
    assertEquals(List.of(), clock.waits);
  }

  @Test
  void noAttemptStartsAfterTheDeadline() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(status(503).setHeader("Retry-After", "2"));
    }
    // 5 s in all: the first retry starts at 2 s, a second would start at 4 s... and a third would
    // not fit; with a 3 s deadline only the first retry fits.
    try (Mutagent client = builder().timeout(Duration.ofSeconds(3)).maxRetries(5).build()) {
      assertThrows(InternalServerException.class, () -> client.prompt().getPrompt("prm_1"));
    }
    assertEquals(2, server.getRequestCount());
    assertEquals(List.of(Duration.ofSeconds(2)), clock.waits);
  }

  @Test
  void zeroRetriesTurnsRetryingOffAndRequestOptionsOverrideForOneCall() throws Exception {
    for (int i = 0; i < 6; i++) {
      server.enqueue(status(503));
    }
    try (Mutagent client = builder().maxRetries(0).build()) {
      assertThrows(InternalServerException.class, () -> client.prompt().getPrompt("prm_1"));
      assertEquals(1, server.getRequestCount());
      assertThrows(InternalServerException.class, () -> client.prompt().getPrompt("prm_1",
          RequestOptions.builder().maxRetries(2).header("X-Only-Once", "yes").build()));
      assertEquals(4, server.getRequestCount());
      assertThrows(InternalServerException.class, () -> client.prompt().getPrompt("prm_1"));
      assertEquals(5, server.getRequestCount(), "the options of one call do not leak into the next");
    }
    for (int i = 0; i < 5; i++) {
      RecordedRequest request = server.takeRequest();
      assertEquals(i >= 1 && i <= 3 ? "yes" : null, request.getHeader("X-Only-Once"));
    }
  }

  @Test
  void aPostOnAStalePooledConnectionIsSentAgainAndTheServerSeesItOnce() throws Exception {
    // The server answers the GET and closes the connection, as a server does once a kept-alive
    // connection has been idle too long; the client still holds it in its pool.
    server.enqueue(ok(200, PROMPT).setSocketPolicy(SocketPolicy.DISCONNECT_AT_END));
    server.enqueue(ok(201, PROMPT));
    try (Mutagent client = builder().build()) {
      client.prompt().getPrompt("prm_1");
      Thread.sleep(100); // let the close reach the client's socket
      Prompt created = client.prompt().createPrompt(CREATE);
      assertEquals("prm_7Hq2mXk9", created.id());
    }
    assertEquals(2, server.getRequestCount(), "one GET and one POST reached the server");
    server.takeRequest();
    RecordedRequest post = server.takeRequest();
    assertEquals("POST", post.getMethod());
    assertNull(post.getHeader("X-Mutagent-Retry-Count"), "sent again at once on a new connection, not as a retry");
    assertEquals(List.of(), clock.waits, "no backoff before the resend");
  }

  @Test
  void aPostAfterAConnectFailureIsRetriedWithTheSameIdempotencyKey() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    List<String> keysSent = Collections.synchronizedList(new ArrayList<>());
    OkHttpClient http = new OkHttpClient.Builder()
        .dns(host -> {
          if (lookups.incrementAndGet() == 1) {
            throw new UnknownHostException("no such host (the first time)");
          }
          return List.of(InetAddress.getLoopbackAddress());
        })
        .addInterceptor(chain -> {
          keysSent.add(chain.request().header("Idempotency-Key"));
          return chain.proceed(chain.request());
        })
        .build();
    server.enqueue(status(429).setHeader("Retry-After", "1"));
    server.enqueue(ok(201, PROMPT));
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).scheduler(clock).httpClient(http)
        .serverUrl("http://localhost:" + server.getPort()).build()) {
      client.prompt().createPrompt(CREATE);
    }
    assertEquals(3, keysSent.size(), "connect failure, 429, success: three attempts");
    assertEquals(Collections.nCopies(3, keysSent.get(0)), keysSent);
    assertEquals(2, server.getRequestCount());
    assertEquals(keysSent.get(0), server.takeRequest().getHeader("Idempotency-Key"));
    assertEquals(keysSent.get(0), server.takeRequest().getHeader("Idempotency-Key"));
  }

  @Test
  void anIdempotencyKeyGivenInRequestOptionsWins() throws Exception {
    server.enqueue(ok(201, PROMPT));
    try (Mutagent client = builder().build()) {
      client.prompt().createPrompt(CREATE, RequestOptions.builder().idempotencyKey("order-42").build());
    }
    assertEquals("order-42", server.takeRequest().getHeader("Idempotency-Key"));
  }

  @Test
  void aPostWhoseResponseTimedOutIsSentOnceAndAGetIsRetried() throws Exception {
    // The user's client reads for 300 ms; no overall timeout, so only the retry rule decides.
    OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build();
    for (int i = 0; i < 4; i++) {
      server.enqueue(ok(201, PROMPT).setSocketPolicy(SocketPolicy.NO_RESPONSE));
    }
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).scheduler(clock).httpClient(http)
        .serverUrl(server.url("/").toString()).build()) {
      assertThrows(MutagentIoException.class, () -> client.prompt().createPrompt(CREATE));
      assertEquals(1, server.getRequestCount(), "a POST that may have acted is never sent again");
      assertThrows(MutagentIoException.class, () -> client.prompt().getPrompt("prm_1"));
      assertEquals(4, server.getRequestCount(), "a GET is retried twice");
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Test
  void aRotatedKeyIsUsedOnTheNextAttempt() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    server.enqueue(status(401));
    server.enqueue(status(503));
    server.enqueue(ok(200, PROMPT));
    try (Mutagent client = TestClients.mutagent().serverUrl(server.url("/").toString()).scheduler(clock)
        .apiKeySupplier(() -> "mt_key_" + reads.incrementAndGet()).build()) {
      assertThrows(io.mutagent.errors.AuthenticationException.class, () -> client.prompt().getPrompt("prm_1"));
      client.prompt().getPrompt("prm_1"); // 503, then the retry with the next key
    }
    assertEquals("mt_key_1", server.takeRequest().getHeader("x-api-key"));
    assertEquals("mt_key_2", server.takeRequest().getHeader("x-api-key"));
    assertEquals("mt_key_3", server.takeRequest().getHeader("x-api-key"));
  }

  @Test
  void aBearerTokenSupplierIsReadByTheAsyncClientToo() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    server.enqueue(status(429).setHeader("Retry-After", "1"));
    server.enqueue(ok(200, PROMPT));
    try (AsyncMutagent client = TestClients.asyncMutagent().serverUrl(server.url("/").toString()).scheduler(clock)
        .bearerTokenSupplier(() -> "jwt." + reads.incrementAndGet()).build()) {
      client.prompt().getPrompt("prm_1").get(5, TimeUnit.SECONDS);
    }
    assertEquals("Bearer jwt.1", server.takeRequest().getHeader("Authorization"));
    assertEquals("Bearer jwt.2", server.takeRequest().getHeader("Authorization"));
  }

  @Test
  void aSupplierThatReturnsNothingFailsTheCallBeforeSending() {
    try (Mutagent client = TestClients.mutagent().serverUrl(server.url("/").toString())
        .apiKeySupplier(() -> " ").build()) {
      MutagentException e = assertThrows(MutagentException.class, () -> client.prompt().getPrompt("prm_1"));
      assertEquals("the apiKeySupplier returned a blank value; nothing was sent. Return the current "
          + "credential, or build the client without one", e.getMessage());
    }
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void asyncRetriesWaitWithoutHoldingAThread() throws Exception {
    clock.park = true;
    server.enqueue(status(503).setHeader("Retry-After", "30"));
    server.enqueue(ok(200, PROMPT));
    try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).scheduler(clock)
        .serverUrl(server.url("/").toString()).build()) {
      CompletableFuture<Prompt> future = client.prompt().getPrompt("prm_1");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (clock.parked.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      // The retry is only a parked task: no call runs, no thread waits for it.
      assertEquals(1, clock.parked.size());
      assertEquals(List.of(Duration.ofSeconds(30)), clock.waits);
      assertFalse(future.isDone());
      assertEquals(0, client.core().transport.http.dispatcher().runningCallsCount());
      String prefix = client.core().transport.resources.threadNamePrefix();
      // The thread that ran the first attempt may still be on its way back to its pool (it has
      // just finished the call); one held for the retry would stay busy, since it never comes.
      java.util.function.BooleanSupplier noneBusy = () -> Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith(prefix))
          .allMatch(t -> t.getState() != Thread.State.RUNNABLE && t.getState() != Thread.State.BLOCKED);
      long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (!noneBusy.getAsBoolean() && System.nanoTime() < settled) {
        Thread.sleep(5);
      }
      assertTrue(noneBusy.getAsBoolean(), "no SDK thread is busy while the retry waits");
      clock.runParked();
      assertEquals("prm_7Hq2mXk9", future.get(5, TimeUnit.SECONDS).id());
    }
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void asyncFollowsTheSameRuleForWrites() throws Exception {
    server.enqueue(status(500));
    server.enqueue(ok(201, PROMPT));
    try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).scheduler(clock)
        .serverUrl(server.url("/").toString()).build()) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> client.prompt().createPrompt(CREATE).get(5, TimeUnit.SECONDS));
      assertInstanceOf(InternalServerException.class, e.getCause());
    }
    assertEquals(1, server.getRequestCount());
  }
}
