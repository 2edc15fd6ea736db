package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.MutagentTimeoutException;
import io.mutagent.models.CreatePromptRequest;
import io.mutagent.models.Prompt;
import io.mutagent.models.PromptPage;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Copies, raw responses, custom clients, cancellation and close(), on MockWebServer. */
class ClientLifecycleTest {
  static final String PROMPT = RetryTest.PROMPT;
  static final String PAGE = ClientTransportTest.PAGE;

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

  MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  AsyncMutagent.Builder async() {
    return TestClients.asyncMutagent().apiKey("mt_k").serverUrl(server.url("/").toString());
  }

  Mutagent.Builder sync() {
    return TestClients.mutagent().apiKey("mt_k").serverUrl(server.url("/").toString());
  }

  static long threads(String prefix) {
    return ClientTransportTest.sdkThreads(prefix);
  }

  /**
   * OkHttp names a dispatcher thread after the call it runs ("OkHttp http://...") and gives its
   * name back only after the future completed; waits until no thread carries a call's name.
   */
  static void awaitCallThreadsNamedBack() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("OkHttp http"))
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  static void awaitNoRunningCalls(okhttp3.Dispatcher dispatcher) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (dispatcher.runningCallsCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void withOptionsSharesThePoolAndStartsNoThread() throws Exception {
    try (AsyncMutagent client = async().build()) {
      server.enqueue(json(200, PAGE));
      client.prompt().listPrompts().get(5, TimeUnit.SECONDS);
      String prefix = client.core().transport.resources.threadNamePrefix();
      awaitCallThreadsNamedBack();
      long before = threads(prefix);
      int allBefore = Thread.activeCount();
      List<AsyncMutagent> copies = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        copies.add(client.withOptions(b -> b.timeout(Duration.ofSeconds(5)).maxRetries(0)));
      }
      assertEquals(before, threads(prefix), "making copies starts no SDK thread");
      assertTrue(Thread.activeCount() <= allBefore, "making copies starts no thread at all");
      for (AsyncMutagent copy : copies) {
        assertSame(client.core().transport, copy.core().transport);
      }
      server.enqueue(json(200, PAGE));
      copies.get(0).prompt().listPrompts().get(5, TimeUnit.SECONDS);
      assertEquals(1, client.core().transport.http.connectionPool().connectionCount(), "the copy reused the pooled connection");
      assertEquals(Duration.ofSeconds(5), copies.get(0).core().config.timeout);
      assertEquals(Duration.ofSeconds(60), client.core().config.timeout, "the original is unchanged");
    }
  }

  @Test
  void closingACopyLeavesTheOriginalWorkingAndClosingTheOriginalClosesTheCopies() {
    Mutagent client = sync().keyScope(KeyScope.ORGANIZATION).workspaceId("ws_1").build();
    try {
      Mutagent copy = client.withWorkspace("ws_2");
      copy.close();
      IllegalStateException closed = assertThrows(IllegalStateException.class, () -> copy.prompt().listPrompts());
      assertEquals("this MutagenT client is closed; build a new one (Mutagent.builder()...build())", closed.getMessage());
      server.enqueue(json(200, PAGE));
      client.prompt().listPrompts();
      Mutagent other = client.withOptions(b -> b.maxRetries(1));
      client.close();
      IllegalStateException parentClosed = assertThrows(IllegalStateException.class, () -> other.prompt().listPrompts());
      assertTrue(parentClosed.getMessage().startsWith("the MutagenT client this one was made from is closed"),
          parentClosed.getMessage());
    } finally {
      client.close(); // closed inside already; close() is idempotent
    }
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void aCopyGivenABearerTokenSendsItInsteadOfTheKeyAndTheOriginalKeepsItsKey() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue(json(200, PAGE));
    }
    try (Mutagent client = sync().keyScope(KeyScope.ORGANIZATION).workspaceId("ws_1").build()) {
      Mutagent copy = client.withOptions(b -> b.bearerToken("jwt-copy"));
      copy.prompt().listPrompts();
      copy.withWorkspace("ws_2").prompt().listPrompts();
      client.prompt().listPrompts();
      client.withWorkspace("ws_2").prompt().listPrompts();
    }
    RecordedRequest fromCopy = server.takeRequest();
    assertEquals("Bearer jwt-copy", fromCopy.getHeader("Authorization"));
    assertNull(fromCopy.getHeader("x-api-key"));
    RecordedRequest fromCopysWorkspace = server.takeRequest();
    assertEquals("Bearer jwt-copy", fromCopysWorkspace.getHeader("Authorization"), "withWorkspace keeps the copy's token");
    assertNull(fromCopysWorkspace.getHeader("x-api-key"));
    assertEquals("ws_2", fromCopysWorkspace.getHeader("x-workspace-id"));
    for (int i = 0; i < 2; i++) {
      RecordedRequest fromOriginal = server.takeRequest();
      assertEquals("mt_k", fromOriginal.getHeader("x-api-key"), "the original and its other copies keep the key");
      assertNull(fromOriginal.getHeader("Authorization"));
    }
  }

  @Test
  void anAsyncCopyCanSwitchTheCredentialEitherWay() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue(json(200, PAGE));
    }
    try (AsyncMutagent client = async().build()) {
      AsyncMutagent bearer = client.withOptions(b -> b.bearerTokenSupplier(() -> "jwt-async"));
      bearer.prompt().listPrompts().get(5, TimeUnit.SECONDS);
      client.prompt().listPrompts().get(5, TimeUnit.SECONDS);
      bearer.withOptions(b -> b.apiKey("mt_back")).prompt().listPrompts().get(5, TimeUnit.SECONDS);
      bearer.prompt().listPrompts().get(5, TimeUnit.SECONDS);
    }
    RecordedRequest fromBearer = server.takeRequest();
    assertEquals("Bearer jwt-async", fromBearer.getHeader("Authorization"));
    assertNull(fromBearer.getHeader("x-api-key"));
    RecordedRequest fromOriginal = server.takeRequest();
    assertEquals("mt_k", fromOriginal.getHeader("x-api-key"));
    assertNull(fromOriginal.getHeader("Authorization"));
    RecordedRequest fromCopyOfCopy = server.takeRequest();
    assertEquals("mt_back", fromCopyOfCopy.getHeader("x-api-key"), "a copy of a token copy can go back to a key");
    assertNull(fromCopyOfCopy.getHeader("Authorization"));
    assertEquals("Bearer jwt-async", server.takeRequest().getHeader("Authorization"), "the token copy is unchanged");
  }

  @Test
  void withOptionsKeepsTheServerAndTheOkHttpClient() {
    try (Mutagent client = sync().build()) {
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> client.withOptions(b -> b.serverUrl("https://other.example"))).getMessage()
          .startsWith("withOptions cannot change serverUrl"));
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> client.withOptions(b -> b.httpClient(new OkHttpClient()))).getMessage()
          .startsWith("withOptions cannot change httpClient"));
      assertThrows(IllegalArgumentException.class, () -> client.withOptions(b -> b.maxRetries(-1)));
      assertThrows(IllegalArgumentException.class, () -> client.withOptions(null));
    }
  }

  @Test
  void aRawResponseCarriesStatusHeadersRequestIdRateLimitAndBody() throws Exception {
    MockResponse created = json(201, PROMPT).setHeader("X-Request-Id", "req_9").setHeader("X-RateLimit-Limit", "60")
        .setHeader("X-RateLimit-Remaining", "59").setHeader("X-RateLimit-Reset", "1795000000");
    server.enqueue(created);
    server.enqueue(created);
    server.enqueue(new MockResponse().setResponseCode(204));
    CreatePromptRequest request = CreatePromptRequest.builder().name("n").content("c").build();
    try (Mutagent client = sync().build()) {
      RawResponse<Prompt> raw = client.prompt().withRawResponse().createPrompt(request);
      assertEquals(201, raw.statusCode());
      assertEquals(Optional.of("req_9"), raw.requestId());
      assertEquals(Optional.of("application/json"), raw.headers().first("content-type"));
      assertEquals(OptionalLong.of(60), raw.rateLimit().limit());
      assertEquals(OptionalLong.of(59), raw.rateLimit().remaining());
      assertEquals(Optional.of(java.time.Instant.ofEpochSecond(1795000000)), raw.rateLimit().reset());
      assertEquals("prm_7Hq2mXk9", raw.body().id());

      RawResponse<Prompt> async = client.async().prompt().withRawResponse().createPrompt(request).get(5, TimeUnit.SECONDS);
      assertEquals(201, async.statusCode());
      assertEquals(Optional.of("req_9"), async.requestId());
      assertEquals("prm_7Hq2mXk9", async.body().id());

      RawResponse<Void> deleted = client.prompt().withRawResponse().deletePrompt("prm_1");
      assertEquals(204, deleted.statusCode());
      assertNull(deleted.body());
    }
  }

  @Test
  void aCustomClientKeepsItsOwnCallTimeout() {
    OkHttpClient mine = new OkHttpClient.Builder().callTimeout(Duration.ofMillis(300)).build();
    server.enqueue(json(200, PAGE).setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.NO_RESPONSE));
    try (Mutagent client = TestClients.mutagent().serverUrl(server.url("/").toString()).httpClient(mine).build()) {
      assertThrows(MutagentTimeoutException.class, () -> client.prompt().listPrompts());
      assertEquals(null, client.core().config.timeout, "no SDK timeout replaces the client's own");
    } finally {
      mine.dispatcher().executorService().shutdown();
      mine.connectionPool().evictAll();
    }
    assertEquals(1, server.getRequestCount(), "the deadline was the client's 300 ms: no retry fit in it");
  }

  @Test
  void orTimeoutOnAReturnedFutureCancelsItsHttpCall() throws Exception {
    server.enqueue(json(200, PAGE).setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.NO_RESPONSE));
    try (AsyncMutagent client = async().build()) {
      CompletableFuture<PromptPage> future = client.prompt().listPrompts().orTimeout(200, TimeUnit.MILLISECONDS);
      server.takeRequest(5, TimeUnit.SECONDS);
      ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
      assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
      okhttp3.Dispatcher dispatcher = client.core().transport.http.dispatcher();
      awaitNoRunningCalls(dispatcher);
      assertEquals(0, dispatcher.runningCallsCount(), "the HTTP call was cancelled with the future");
    }
  }

  @Test
  void completingAFutureExceptionallyCancelsItsHttpCall() throws Exception {
    server.enqueue(json(200, PAGE).setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.NO_RESPONSE));
    try (AsyncMutagent client = async().build()) {
      CompletableFuture<PromptPage> future = client.prompt().listPrompts();
      server.takeRequest(5, TimeUnit.SECONDS);
      future.completeExceptionally(new IllegalStateException("no longer needed"));
      okhttp3.Dispatcher dispatcher = client.core().transport.http.dispatcher();
      awaitNoRunningCalls(dispatcher);
      assertEquals(0, dispatcher.runningCallsCount());
    }
  }

  @Test
  void aCompletedFutureKeepsNoReferenceToTheRequestBody() throws Exception {
    server.enqueue(json(201, PROMPT));
    // With the client's 60 s timeout: the SDK arms no okio call timer, whose watchdog used to hold
    // a finished call until its timeout would have passed; the deadline watch forgets it at once.
    try (AsyncMutagent client = async().build()) {
      CreatePromptRequest body = CreatePromptRequest.builder().name("n").content("c").build();
      WeakReference<CreatePromptRequest> ref = new WeakReference<>(body);
      CompletableFuture<Prompt> future = client.prompt().createPrompt(body);
      body = null;
      future.get(5, TimeUnit.SECONDS);
      for (int i = 0; i < 150 && ref.get() != null; i++) {
        System.gc();
        Thread.sleep(20);
      }
      assertNull(ref.get(), "the completed future still reaches the request body");
      assertEquals("prm_7Hq2mXk9", future.get().id());
    }
  }

  @Test
  void closeCancelsCallsInFlightAndQueuedAndLeavesNoSocketOpen() throws Exception {
    // 64 calls fill the SDK's dispatcher (the server never answers them); 3 more wait in its queue.
    int running = io.mutagent.internal.http.Resources.MAX_CONCURRENT;
    for (int i = 0; i < running; i++) {
      server.enqueue(json(200, PAGE).setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.NO_RESPONSE));
    }
    AsyncMutagent client = async().build();
    List<CompletableFuture<PromptPage>> calls = new ArrayList<>();
    for (int i = 0; i < running + 3; i++) {
      calls.add(client.prompt().listPrompts());
    }
    for (int i = 0; i < running; i++) {
      assertNotNull(server.takeRequest(5, TimeUnit.SECONDS));
    }
    okhttp3.Dispatcher dispatcher = client.core().transport.http.dispatcher();
    assertEquals(3, dispatcher.queuedCallsCount(), "3 calls are queued, not in flight");
    client.close();
    for (CompletableFuture<PromptPage> future : calls) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateException.class, e.getCause());
      assertTrue(e.getCause().getMessage().startsWith("this MutagenT client was closed while the call was in flight"),
          e.getCause().getMessage());
    }
    ExecutionException later = assertThrows(ExecutionException.class,
        () -> client.prompt().listPrompts().get(5, TimeUnit.SECONDS));
    assertEquals("this MutagenT client is closed; build a new one (Mutagent.builder()...build())",
        later.getCause().getMessage());
    assertEquals(0, client.core().transport.http.connectionPool().connectionCount(), "no socket stays open");
    assertEquals(running, server.getRequestCount(), "the queued calls were never sent");
  }

  @Test
  void closeCancelsABlockingCallInFlightOnAUsersClientAndLeavesTheClientOpen() throws Exception {
    OkHttpClient mine = new OkHttpClient();
    server.enqueue(json(200, PAGE).setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.NO_RESPONSE));
    Mutagent client = TestClients.mutagent().serverUrl(server.url("/").toString()).httpClient(mine).build();
    CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
      try {
        client.prompt().listPrompts();
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    });
    server.takeRequest(5, TimeUnit.SECONDS);
    client.close();
    Throwable e = failure.get(5, TimeUnit.SECONDS);
    assertInstanceOf(IllegalStateException.class, e);
    assertTrue(!mine.dispatcher().executorService().isShutdown(), "the user's client stays open");
    mine.dispatcher().executorService().shutdown();
    mine.connectionPool().evictAll();
  }

  @Test
  void everyRequestSaysItAcceptsJsonAndNamesTheSdk() throws Exception {
    server.enqueue(json(200, PAGE));
    server.enqueue(json(200, PAGE));
    try (Mutagent client = sync().build()) {
      client.prompt().listPrompts();
      client.prompt().listPrompts(io.mutagent.services.PromptParams.ListPromptsParams.none(),
          RequestOptions.builder().header("user-agent", "my-app/1.0").header("X-A", "1").header("x-a", "2").build());
    }
    RecordedRequest plain = server.takeRequest();
    assertEquals("application/json", plain.getHeader("Accept"));
    assertTrue(plain.getHeader("User-Agent").startsWith("mutagent-java/"), plain.getHeader("User-Agent"));
    RecordedRequest custom = server.takeRequest();
    assertEquals("my-app/1.0", custom.getHeader("User-Agent"), "a call may name itself");
    assertEquals(List.of("2"), custom.getHeaders().values("X-A"), "header names are case-insensitive: one is sent");
  }

  @Test
  void requestOptionsCannotOverrideTheHeadersTheSdkOwns() {
    for (String name : new String[] {"x-api-key", "Authorization", "X-Workspace-Id", "x-organization-id", "Idempotency-Key"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RequestOptions.builder().header(name, "v"));
      assertTrue(e.getMessage().contains("is set by the SDK and cannot be overridden"), e.getMessage());
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Accept-Encoding | OkHttp asks for gzip and decompresses the answer itself; set by hand, it would hand the SDK compressed bytes to parse",
      "content-encoding | the SDK sends its body uncompressed; the server would try to decode bytes that are not encoded",
      "Content-Length | OkHttp counts the body it sends; another length would cut the body short",
      "TRANSFER-ENCODING | OkHttp frames the body itself; a second framing would corrupt it",
      "Host | use the client's serverUrl(...): OkHttp takes Host from it",
      "connection | OkHttp keeps connections open and pools them"})
  void requestOptionsCannotSetAHeaderTheTransportOwnsAndSayWhy(String name, String reason) {
    try (Mutagent client = sync().timeout(Duration.ofSeconds(1)).maxRetries(0).build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> client.prompt().listPrompts(io.mutagent.services.PromptParams.ListPromptsParams.none(),
              RequestOptions.builder().header(name, "gzip").build()));
      assertTrue(e.getMessage().startsWith("header '" + name + "' is set by the SDK and cannot be overridden"),
          e.getMessage());
      assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
    assertEquals(0, server.getRequestCount(), "nothing is sent");
  }

  @Test
  void extraQueryParametersGoOutAfterTheOperationsOwn() throws Exception {
    server.enqueue(json(200, PAGE));
    try (Mutagent client = sync().build()) {
      client.prompt().listPrompts(io.mutagent.services.PromptParams.ListPromptsParams.builder().limit(5).build(),
          RequestOptions.builder().queryParameter("beta", "on").queryParameter("tag", "a b").build());
    }
    assertEquals("/api/prompt?limit=5&beta=on&tag=a%20b", server.takeRequest().getPath());
  }

  @Test
  void aCallCanActOnAnotherWorkspaceWhenItsKeyCan() throws Exception {
    server.enqueue(json(200, PAGE));
    server.enqueue(json(200, PAGE));
    try (Mutagent client = sync().keyScope(KeyScope.ORGANIZATION).workspaceId("ws_1").build()) {
      client.prompt().listPrompts(io.mutagent.services.PromptParams.ListPromptsParams.none(),
          RequestOptions.builder().workspaceId("ws_2").build());
      client.prompt().listPrompts();
    }
    assertEquals("ws_2", server.takeRequest().getHeader("x-workspace-id"));
    assertEquals("ws_1", server.takeRequest().getHeader("x-workspace-id"), "the next call is back to the client's");
  }

  @Test
  void viewsShareOneClientAndAsyncCopiesWorkLikeBlockingOnes() throws Exception {
    server.enqueue(json(200, PAGE));
    try (AsyncMutagent client = async().keyScope(KeyScope.ORGANIZATION).workspaceId("ws_1").build()) {
      assertSame(client.core(), client.sync().core(), "sync() is a view of the same client");
      assertSame(client.core(), client.sync().async().core());
      AsyncMutagent copy = client.withWorkspace("ws_9");
      assertSame(client.core().transport, copy.core().transport);
      copy.prompt().listPrompts().get(5, TimeUnit.SECONDS);
      copy.close();
      assertTrue(!client.core().state.isClosed(), "closing the async copy leaves the original open");
    }
    assertEquals("ws_9", server.takeRequest().getHeader("x-workspace-id"));
  }

  @Test
  void fromEnvIsTheBuilderWithNothingSet() {
    try (Mutagent client = Mutagent.fromEnv(); Mutagent built = Mutagent.builder().build();
        AsyncMutagent async = AsyncMutagent.fromEnv()) {
      assertEquals(built.toString(), client.toString());
      assertEquals(client.core().config.serverUrl, async.core().config.serverUrl);
    }
  }

  @Test
  void requestOptionsAreValuesThatCopyAndCompare() {
    RequestOptions options = RequestOptions.builder().header("X-A", "1").queryParameter("q", "v")
        .timeout(Duration.ofSeconds(3)).maxRetries(1).idempotencyKey("k-1").workspaceId("ws_1")
        .organizationId("org_1").build();
    RequestOptions copy = options.toBuilder().build();
    assertEquals(options, copy);
    assertEquals(options.hashCode(), copy.hashCode());
    assertEquals(Optional.of(Duration.ofSeconds(3)), copy.timeout());
    assertEquals(java.util.OptionalInt.of(1), copy.maxRetries());
    assertEquals(Optional.of("k-1"), copy.idempotencyKey());
    assertEquals(Map.of("q", List.of("v")), copy.queryParameters());
    assertTrue(!options.equals(options.toBuilder().maxRetries(2).build()));
    assertEquals("RequestOptions{headers=[X-A], queryParameters=[q], timeout=PT3S, maxRetries=1, "
        + "idempotencyKey=set, workspaceId=ws_1, organizationId=org_1}", options.toString());
    assertEquals("RequestOptions{}", RequestOptions.none().toString());
  }

  @Test
  void aCustomClientsDispatcherLimitBoundsTheAsyncClientAndTheSdksOwnAllows64() throws Exception {
    for (int i = 0; i < 8; i++) {
      server.enqueue(json(200, PAGE).setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.NO_RESPONSE));
    }
    OkHttpClient mine = new OkHttpClient(); // OkHttp's default dispatcher: 5 calls per host
    try (AsyncMutagent client = TestClients.asyncMutagent().serverUrl(server.url("/").toString()).httpClient(mine).build()) {
      for (int i = 0; i < 8; i++) {
        client.prompt().listPrompts();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (mine.dispatcher().runningCallsCount() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(5, mine.dispatcher().runningCallsCount(), "the user's dispatcher keeps its own limit");
      assertEquals(3, mine.dispatcher().queuedCallsCount());
    } finally {
      mine.dispatcher().executorService().shutdown();
      mine.connectionPool().evictAll();
    }
    try (AsyncMutagent own = async().build()) {
      assertEquals(64, own.core().transport.http.dispatcher().getMaxRequestsPerHost());
      assertEquals(64, own.core().transport.http.dispatcher().getMaxRequests());
    }
  }

  /**
   * The README's thread statements: 256 async calls started at once run 64 at a time; on Java 21
   * and later on virtual threads, before that on at most 64 platform threads that never grow past
   * 64 as calls hand over to the queued ones. The 64 connections stay pooled for the next wave.
   */
  @Test
  void callsInFlightRunOnVirtualThreadsFromJava21ElseOnAtMost64PlatformThreadsAndTheirConnectionsStayPooled()
      throws Exception {
    java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> gate =
        new java.util.concurrent.atomic.AtomicReference<>(new java.util.concurrent.CountDownLatch(1));
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        gate.get().await(10, TimeUnit.SECONDS);
        return json(200, PROMPT);
      }
    });
    try (AsyncMutagent client = async().build()) {
      okhttp3.Dispatcher dispatcher = client.core().transport.http.dispatcher();
      List<CompletableFuture<Boolean>> onVirtualThread = new ArrayList<>();
      for (int i = 0; i < 256; i++) {
        onVirtualThread.add(client.prompt().getPrompt("prm_" + i).thenApply(p -> isVirtual(Thread.currentThread())));
      }
      awaitRunningCalls(dispatcher, 64);
      assertEquals(64, dispatcher.runningCallsCount(), "64 calls run at once");
      assertEquals(192, dispatcher.queuedCallsCount(), "the others wait in the dispatcher's queue");
      gate.get().countDown();
      for (CompletableFuture<Boolean> call : onVirtualThread) {
        assertEquals(Runtime.version().feature() >= 21, call.get(10, TimeUnit.SECONDS),
            "a future completes on the thread that ran its call");
      }
      if (Runtime.version().feature() < 21) {
        java.util.concurrent.ThreadPoolExecutor threads =
            (java.util.concurrent.ThreadPoolExecutor) dispatcher.executorService();
        assertTrue(threads.getLargestPoolSize() <= 64 + 4,
            "never more than 64 platform threads for calls and 4 spare for the SDK's own tasks: "
            + threads.getLargestPoolSize());
      }
      assertEquals(256, server.getRequestCount());
      server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
          gate.get().await(10, TimeUnit.SECONDS);
          return json(200, PROMPT).setHeader("X-Connection-Used-Before", request.getSequenceNumber() > 0);
        }
      });
      awaitNoRunningCalls(dispatcher);
      gate.set(new java.util.concurrent.CountDownLatch(1));
      List<CompletableFuture<RawResponse<Prompt>>> secondWave = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        secondWave.add(client.prompt().withRawResponse().getPrompt("prm_" + i));
      }
      awaitRunningCalls(dispatcher, 64);
      gate.get().countDown();
      for (CompletableFuture<RawResponse<Prompt>> call : secondWave) {
        assertEquals(Optional.of("true"), call.get(10, TimeUnit.SECONDS).headers().first("X-Connection-Used-Before"),
            "64 calls at once again find 64 pooled connections (OkHttp's default pool keeps 5)");
      }
    }
  }

  static void awaitRunningCalls(okhttp3.Dispatcher dispatcher, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (dispatcher.runningCallsCount() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  static boolean isVirtual(Thread thread) {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (ReflectiveOperationException beforeJava21) {
      return false;
    }
  }
}
