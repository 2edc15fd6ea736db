package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.errors.MutagentIoException;
import io.mutagent.errors.MutagentTimeoutException;
import io.mutagent.errors.NotFoundException;
import io.mutagent.models.CreatePromptRequest;
import io.mutagent.models.PromptPage;
import io.mutagent.models.UpdatePromptRequest;
import io.mutagent.services.PromptParams.ListPromptsParams;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the clients put on the wire, and what they do with what comes back, on MockWebServer. */
class ClientTransportTest {
  static final String SECRET = "mt_live_S3CRET_key";
  static final String PAGE = "{\"data\":[],\"pagination\":{\"page\":1,\"limit\":20,\"total\":0,\"hasMore\":false}}";

  MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  Mutagent.Builder builder() {
    return Mutagent.builder().environment(Map.of()).serverUrl(server.url("/").toString());
  }

  MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  RecordedRequest listOnce(Mutagent client) throws InterruptedException {
    server.enqueue(json(200, PAGE));
    client.prompt().listPrompts();
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  @Test
  void anApiKeyGoesOutAsXApiKey() throws Exception {
    try (Mutagent client = builder().apiKey(SECRET).build()) {
      RecordedRequest request = listOnce(client);
      assertEquals("/api/prompt", request.getPath());
      assertEquals(SECRET, request.getHeader("x-api-key"));
      assertNull(request.getHeader("Authorization"));
      assertTrue(request.getHeader("User-Agent").matches("mutagent-java/\\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .*"), request.getHeader("User-Agent"));
    }
  }

  @Test
  void aBearerTokenGoesOutAsAuthorization() throws Exception {
    try (Mutagent client = builder().bearerToken("jwt.abc.def").build()) {
      RecordedRequest request = listOnce(client);
      assertEquals("Bearer jwt.abc.def", request.getHeader("Authorization"));
      assertNull(request.getHeader("x-api-key"));
    }
  }

  @Test
  void theEnvironmentKeyIsUsedWhenNoneIsSet() throws Exception {
    try (Mutagent client = Mutagent.builder().environment(Map.of("MUTAGENT_API_KEY", SECRET,
        "MUTAGENT_SERVER_URL", server.url("/").toString())).build()) {
      assertEquals(SECRET, listOnce(client).getHeader("x-api-key"));
    }
  }

  @Test
  void withoutCredentialsNothingIsSent() throws Exception {
    try (Mutagent client = builder().build()) {
      RecordedRequest request = listOnce(client);
      assertNull(request.getHeader("x-api-key"));
      assertNull(request.getHeader("Authorization"));
    }
  }

  @Test
  void aWorkspaceKeySendsNoScopeHeaders() throws Exception {
    try (Mutagent client = builder().apiKey(SECRET).build()) {
      RecordedRequest request = listOnce(client);
      assertNull(request.getHeader("x-workspace-id"));
      assertNull(request.getHeader("x-organization-id"));
    }
  }

  @Test
  void anOrganizationKeySendsTheWorkspace() throws Exception {
    try (Mutagent client = builder().apiKey(SECRET).keyScope(KeyScope.ORGANIZATION).workspaceId("ws_1").build()) {
      RecordedRequest request = listOnce(client);
      assertEquals("ws_1", request.getHeader("x-workspace-id"));
      assertNull(request.getHeader("x-organization-id"));
    }
  }

  @Test
  void aUserKeySendsBothIds() throws Exception {
    try (Mutagent client = builder().apiKey(SECRET).keyScope(KeyScope.USER).workspaceId("ws_1")
        .organizationId("org_1").build()) {
      RecordedRequest request = listOnce(client);
      assertEquals("ws_1", request.getHeader("x-workspace-id"));
      assertEquals("org_1", request.getHeader("x-organization-id"));
    }
  }

  @Test
  void withWorkspaceSendsTheOtherIdAndSharesThePool() throws Exception {
    try (Mutagent client = builder().apiKey(SECRET).keyScope(KeyScope.ORGANIZATION).workspaceId("ws_1").build()) {
      Mutagent other = client.withWorkspace("ws_2");
      assertEquals("ws_2", listOnce(other).getHeader("x-workspace-id"));
      assertEquals("ws_1", listOnce(client).getHeader("x-workspace-id"));
      assertSame(client.core().transport, other.core().transport);
      assertSame(client.core().transport.http.connectionPool(), other.core().transport.http.connectionPool());
      assertThrows(IllegalArgumentException.class, () -> client.withWorkspace(" "));
    }
  }

  @Test
  void requestOptionsAddHeadersAndQueryParamsGoOut() throws Exception {
    try (Mutagent client = builder().apiKey(SECRET).build()) {
      server.enqueue(json(200, PAGE));
      client.prompt().listPrompts(ListPromptsParams.builder().page(2).limit(50).search("support").build(),
          RequestOptions.builder().header("X-Trace", "t-1").build());
      RecordedRequest request = server.takeRequest();
      assertEquals("/api/prompt?page=2&limit=50&search=support", request.getPath());
      assertEquals("t-1", request.getHeader("X-Trace"));
    }
  }

  /**
   * An answer whose body comes one byte every 100 ms (8 s in all): each read is within the 300 ms
   * per-attempt socket timeout, so only the call's deadline (DeadlineWatch) can end it.
   */
  MockResponse trickling() {
    return json(200, PAGE).throttleBody(1, 100, TimeUnit.MILLISECONDS);
  }

  @Test
  void theClientTimeoutApplies() {
    try (Mutagent client = builder().timeout(Duration.ofMillis(300)).build()) {
      server.enqueue(trickling());
      MutagentTimeoutException e = assertThrows(MutagentTimeoutException.class, () -> client.prompt().listPrompts());
      assertTrue(e.getMessage().startsWith("GET /api/prompt timed out"), e.getMessage());
    }
  }

  @Test
  void aPerCallTimeoutApplies() {
    try (Mutagent client = builder().build()) {
      server.enqueue(trickling());
      assertThrows(MutagentTimeoutException.class, () -> client.prompt().listPrompts(ListPromptsParams.none(),
          RequestOptions.builder().timeout(Duration.ofMillis(300)).build()));
    }
  }

  /**
   * The timeout is enforced by the SDK's one deadline thread, not by a timer OkHttp arms per call:
   * calls with the client's timeout one after another do not wake that thread once per call.
   */
  @Test
  void callsOneAfterAnotherArmNoTimerEachAndDoNotWakeTheDeadlineThreadEach() throws Exception {
    try (Mutagent client = builder().build()) {
      assertEquals(0, client.core().transport.http.callTimeoutMillis(), "OkHttp arms no call timeout of its own");
      for (int i = 0; i < 20; i++) {
        server.enqueue(json(200, PAGE));
        client.prompt().listPrompts();
      }
      // The first call starts the thread; one put in flight while it looks may wake it once more.
      long wakeUps = client.core().transport.resources.deadlineWakeUps();
      assertTrue(wakeUps >= 1 && wakeUps <= 3, wakeUps + " of 20 calls with the client's 60 s timeout woke the deadline thread");
    }
  }

  /** The timeout counts from the call, so an async call still waiting for a dispatcher slot ends at it too. */
  @Test
  void anAsyncCallQueuedInTheDispatcherPastItsTimeoutFailsAsATimeout() throws Exception {
    OkHttpClient mine = new OkHttpClient.Builder().build();
    mine.dispatcher().setMaxRequestsPerHost(1);
    server.enqueue(json(200, PAGE).setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.NO_RESPONSE));
    try (AsyncMutagent client = AsyncMutagent.builder().environment(Map.of()).serverUrl(server.url("/").toString())
        .httpClient(mine).build()) {
      CompletableFuture<PromptPage> hanging = client.prompt().listPrompts();
      server.takeRequest(5, TimeUnit.SECONDS);
      CompletableFuture<PromptPage> queued = client.prompt().listPrompts(ListPromptsParams.none(),
          RequestOptions.builder().timeout(Duration.ofMillis(300)).build());
      CompletableFuture<String> completedOn = queued.handle((page, failure) -> Thread.currentThread().getName());
      assertEquals(1, mine.dispatcher().queuedCallsCount(), "the second call waits for the first");
      ExecutionException e = assertThrows(ExecutionException.class, () -> queued.get(5, TimeUnit.SECONDS));
      String thread = completedOn.get(5, TimeUnit.SECONDS);
      assertFalse(thread.startsWith("mutagent-deadlines"), "the caller's callbacks ran on the deadline thread");
      assertInstanceOf(MutagentTimeoutException.class, e.getCause());
      assertTrue(e.getCause().getMessage().startsWith("GET /api/prompt timed out"), e.getCause().getMessage());
      assertFalse(hanging.isDone(), "the first call has no timeout of its own and still waits");
      assertEquals(1, server.getRequestCount(), "the queued call was never sent");
    } finally {
      mine.dispatcher().executorService().shutdown();
      mine.connectionPool().evictAll();
    }
  }

  @Test
  void aCustomClientsInterceptorRunsAndItsPoolIsSharedAndLeftOpen() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    OkHttpClient mine = new OkHttpClient.Builder().addInterceptor(chain -> {
      seen.incrementAndGet();
      return chain.proceed(chain.request());
    }).build();
    try (Mutagent client = builder().apiKey(SECRET).httpClient(mine).build()) {
      RecordedRequest request = listOnce(client);
      assertEquals(SECRET, request.getHeader("x-api-key"));
    }
    assertEquals(1, seen.get());
    assertEquals(1, mine.connectionPool().connectionCount(), "the SDK's call used the caller's pool");
    assertFalse(mine.dispatcher().executorService().isShutdown(), "close() must not shut the caller's client");
    mine.connectionPool().evictAll();
  }

  @Test
  void aBadInputSendsNothing() {
    try (Mutagent client = builder().apiKey(SECRET).build()) {
      assertEquals("promptId must not be null: pass the id of the resource",
          assertThrows(IllegalArgumentException.class, () -> client.prompt().getPrompt(null)).getMessage());
      assertThrows(IllegalArgumentException.class, () -> client.prompt().getPrompt("  "));
      assertEquals("createPromptRequest must not be null: build one with CreatePromptRequest.builder()...build()",
          assertThrows(IllegalArgumentException.class, () -> client.prompt().createPrompt(null)).getMessage());
      assertThrows(IllegalStateException.class,
          () -> client.prompt().createPrompt(CreatePromptRequest.builder().name("no content").build()));
      assertThrows(IllegalArgumentException.class, () -> client.prompt().updatePrompt("prm_1", null));
      assertEquals("limit must be at most 100, got 500",
          assertThrows(IllegalArgumentException.class, () -> ListPromptsParams.builder().limit(500)).getMessage());
      assertThrows(IllegalArgumentException.class, () -> client.prompt().listPrompts((ListPromptsParams) null));
      assertThrows(IllegalArgumentException.class,
          () -> client.prompt().updatePrompt("prm_1", UpdatePromptRequest.builder().build(), (RequestOptions) null));
      // The async client reports a bad argument through the future, like every other failure.
      ExecutionException async = assertThrows(ExecutionException.class,
          () -> client.async().prompt().getPrompt("").get(5, TimeUnit.SECONDS));
      assertInstanceOf(IllegalArgumentException.class, async.getCause());
    }
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void aRedirectIsNotFollowedSoTheKeyNeverReachesAnotherHost() throws Exception {
    try (MockWebServer elsewhere = TestServers.mockWebServer()) {
      elsewhere.start();
      try (Mutagent client = builder().apiKey(SECRET).build()) {
        server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", elsewhere.url("/steal")));
        assertThrows(io.mutagent.errors.UnexpectedStatusException.class, () -> client.prompt().listPrompts());
      }
      assertEquals(0, elsewhere.getRequestCount());
    }
  }

  @Test
  void aPostWhoseFreshConnectionDropsAfterSendingIsNotSentAgain() {
    try (Mutagent client = builder().apiKey(SECRET).build()) {
      server.enqueue(new MockResponse().setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_AFTER_REQUEST));
      server.enqueue(json(201, "{}"));
      assertThrows(MutagentIoException.class, () -> client.prompt().createPrompt(
          CreatePromptRequest.builder().name("n").content("c").build()));
      assertEquals(1, server.getRequestCount(), "the server read the POST: it must not be sent again");
    }
  }

  @Test
  void anUnparsableBodyIsInvalidData() {
    try (Mutagent client = builder().build()) {
      server.enqueue(json(200, "{\"data\": [oops"));
      MutagentInvalidDataException e = assertThrows(MutagentInvalidDataException.class,
          () -> client.prompt().listPrompts());
      assertTrue(e.getMessage().contains("PromptPage"), e.getMessage());
    }
  }

  @Test
  void noServerIsAnIoExceptionOfTheSdk() throws IOException {
    // A socket bound but not listening holds the port for the whole test (a freed port could be
    // taken by another process) and refuses connections.
    try (java.net.Socket bound = new java.net.Socket()) {
      bound.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      String url = "http://127.0.0.1:" + bound.getLocalPort();
      try (Mutagent client = Mutagent.builder().environment(Map.of()).serverUrl(url).maxRetries(0).build()) {
        MutagentIoException e = assertThrows(MutagentIoException.class, () -> client.prompt().listPrompts());
        assertTrue(e.getMessage().startsWith("GET /api/prompt failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("running?"), e.getMessage());
      }
    }
  }

  @Test
  void asyncCompletesWithTheBodyOrTheSameExceptions() throws Exception {
    try (AsyncMutagent client = AsyncMutagent.builder().environment(Map.of())
        .serverUrl(server.url("/").toString()).apiKey(SECRET).build()) {
      server.enqueue(json(200, PAGE));
      PromptPage page = client.prompt().listPrompts().get(5, TimeUnit.SECONDS);
      assertEquals(0, page.pagination().total());
      assertEquals(SECRET, server.takeRequest().getHeader("x-api-key"));

      server.enqueue(json(404, "{\"error\":\"not_found\",\"message\":\"no such prompt\"}"));
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> client.prompt().getPrompt("prm_x").get(5, TimeUnit.SECONDS));
      assertInstanceOf(NotFoundException.class, e.getCause());
    }
  }

  @Test
  void cancellingAFutureCancelsTheHttpCall() throws Exception {
    try (AsyncMutagent client = AsyncMutagent.builder().environment(Map.of())
        .serverUrl(server.url("/").toString()).build()) {
      // The server never answers: only the cancel can end the call.
      server.enqueue(json(200, PAGE).setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.NO_RESPONSE));
      CompletableFuture<PromptPage> future = client.prompt().listPrompts();
      server.takeRequest(5, TimeUnit.SECONDS);
      okhttp3.Dispatcher dispatcher = client.core().transport.http.dispatcher();
      assertEquals(1, dispatcher.runningCallsCount());

      assertTrue(future.cancel(true));

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (dispatcher.runningCallsCount() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(0, dispatcher.runningCallsCount(), "the HTTP call should have been cancelled");
    }
  }

  @Test
  void closeStopsTheSdksThreadsAndLaterCallsFailClearly() throws Exception {
    AsyncMutagent client = AsyncMutagent.builder().environment(Map.of())
        .serverUrl(server.url("/").toString()).build();
    server.enqueue(json(200, PAGE));
    client.prompt().listPrompts().get(5, TimeUnit.SECONDS);
    io.mutagent.internal.http.Resources resources = client.core().transport.resources;
    // OkHttp renames its thread while it runs a call, and the future completes inside the call.
    // From Java 21 the calls run on virtual threads, which are not listed: the pool's is.
    long named = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (sdkThreads(resources) == 0 && System.nanoTime() < named) {
      Thread.sleep(10);
    }
    assertTrue(sdkThreads(resources) > 0, "the SDK started its threads");

    client.close();
    client.close(); // twice is fine

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sdkThreads(resources) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, sdkThreads(resources), "SDK threads still running after close()");
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.prompt().listPrompts().get(5, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("client is closed"), e.getCause().getMessage());
    assertThrows(IllegalStateException.class, () -> client.sync().prompt().listPrompts());
    assertEquals(1, server.getRequestCount());
  }

  static long sdkThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
  }

  /**
   * The live threads of the SDK's own client: its dispatcher's, its pool's, its deadline thread
   * and its retry timer.
   */
  static long sdkThreads(io.mutagent.internal.http.Resources resources) {
    String prefix = resources.threadNamePrefix();
    String pool = resources.housekeepingThreadName();
    String deadlines = resources.deadlineThreadName();
    String retries = resources.retryThreadName();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && (t.getName().startsWith(prefix) || t.getName().equals(pool)
            || t.getName().equals(deadlines) || t.getName().equals(retries))).count();
  }
}
