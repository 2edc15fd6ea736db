package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.InternalServerException;
import io.mutagent.errors.MutagentException;
import io.mutagent.errors.NotFoundException;
import io.mutagent.models.CreatePromptVersionRequest;
import io.mutagent.models.Prompt;
import io.mutagent.models.UpdatePromptRequest;
import io.mutagent.prompts.AsyncPromptCache;
import io.mutagent.prompts.CachedPrompt;
import io.mutagent.prompts.PromptCache;
import io.mutagent.prompts.PromptCacheOptions;
import io.mutagent.prompts.PromptCacheStats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The prompt cache against a scripted server, with the client's clock replaced by a
 * {@link FakeScheduler} that moves only when a test says so: fresh hits, stale-while-revalidate,
 * one request for 64 concurrent misses, errors served stale up to max-stale then the fallback,
 * invalidation by the same client's writes, eviction at the bound, the counts and the quota.
 */
class PromptCacheTest {
  static final String KEY = "mt_cache_test_key";
  static final String ID = "prm_cache1";

  MockWebServer server;
  PromptServer prompts;
  FakeScheduler clock;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    prompts = new PromptServer();
    server.setDispatcher(prompts);
    server.start();
    clock = new FakeScheduler();
  }

  @AfterEach
  void stop() throws IOException {
    prompts.release();
    server.shutdown();
  }

  Mutagent client() {
    return TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString()).scheduler(clock).maxRetries(0).build();
  }

  AsyncMutagent asyncClient() {
    return TestClients.asyncMutagent().apiKey(KEY).serverUrl(server.url("/").toString()).scheduler(clock).maxRetries(0).build();
  }

  void advance(Duration duration) {
    clock.sleep(duration, new CountDownLatch(0));
  }

  static PromptCacheOptions.Builder options() {
    return PromptCacheOptions.builder();
  }

  /** Reads until a background refresh has landed (the refresh runs on the SDK's threads). */
  static CachedPrompt awaitFresh(PromptCache cache, String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    CachedPrompt answer = cache.get(id);
    while (answer.isStale() && System.nanoTime() < deadline) {
      Thread.sleep(1);
      answer = cache.get(id);
    }
    return answer;
  }

  /**
   * A prompt API: GET answers version n of each prompt ("v{n} of {id}"); PATCH and POST .../versions
   * make the next version; DELETE makes it 404. It can fail every GET with a status, or hold GETs
   * until released.
   */
  static final class PromptServer extends Dispatcher {
    final Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    final Set<String> deleted = ConcurrentHashMap.newKeySet();
    volatile int failWith;
    volatile java.util.function.@org.jspecify.annotations.Nullable Supplier<MockResponse> failure;
    volatile CountDownLatch hold = new CountDownLatch(0);

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      String path = request.getPath();
      String id = path.replaceFirst("^/api/prompt/([^/?]+).*$", "$1");
      AtomicInteger version = versions.computeIfAbsent(id, k -> new AtomicInteger(1));
      switch (request.getMethod()) {
        case "GET":
          gets.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
          java.util.function.Supplier<MockResponse> failing = failure;
          MockResponse answer = failing != null ? failing.get() : failWith != 0 ? RetryTest.status(failWith)
              : deleted.contains(id) ? RetryTest.status(404) : json(prompt(id, version.get()));
          hold.await(10, TimeUnit.SECONDS); // answers as of when the request came in
          return answer;
        case "PATCH":
          return json(prompt(id, version.incrementAndGet()));
        case "POST":
          int next = version.incrementAndGet();
          return json("{\"id\":\"pv_" + next + "\",\"promptId\":\"" + id + "\",\"version\":" + next
              + ",\"content\":\"v" + next + "\",\"createdAt\":\"2026-11-02T09:14:00Z\"}");
        case "DELETE":
          deleted.add(id);
          return new MockResponse().setResponseCode(204);
        default:
          return RetryTest.status(400);
      }
    }

    int gets(String id) {
      AtomicInteger n = gets.get(id);
      return n == null ? 0 : n.get();
    }

    void release() {
      hold.countDown();
    }

    static MockResponse json(String body) {
      return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }
  }

  static String prompt(String id, int version) {
    return "{\"id\":\"" + id + "\",\"workspaceId\":\"ws_1\",\"name\":\"n\",\"content\":\"v" + version + " of " + id
        + " for {{user}}\",\"variables\":[{\"name\":\"user\",\"required\":true}],\"tags\":[],\"status\":\"active\","
        + "\"latestVersion\":" + version + ",\"createdAt\":\"2026-10-12T08:30:00Z\",\"updatedAt\":\"2026-11-02T09:14:00Z\"}";
  }

  static String content(CachedPrompt answer) {
    return answer.prompt().content();
  }

  // ---------------------------------------------------------------------------------------------
  // Fresh, stale, single flight
  // ---------------------------------------------------------------------------------------------

  @Test
  void aFreshPromptIsServedFromMemoryWithNoRequest() {
    try (Mutagent client = client(); PromptCache cache = client.promptCache()) {
      CachedPrompt first = cache.get(ID);
      advance(Duration.ofMinutes(9));
      CachedPrompt second = cache.get(ID);
      assertEquals("v1 of " + ID + " for {{user}}", content(first));
      assertEquals(CachedPrompt.Freshness.FRESH, second.freshness());
      assertFalse(second.isStale() || second.isFallback());
      assertSame(first.prompt(), second.prompt());
      assertEquals(1, prompts.gets(ID));
      assertEquals("v1 of " + ID + " for Ada", second.fill(Map.of("user", "Ada")).content());
      PromptCacheStats stats = cache.stats();
      assertEquals(1, stats.hits());
      assertEquals(1, stats.misses());
      assertEquals(0, stats.refreshes());
      assertEquals(1, cache.size());
    }
  }

  @Test
  void aStalePromptIsServedAtOnceWhileOneRefreshRunsInTheBackground() throws Exception {
    try (Mutagent client = client(); PromptCache cache = client.promptCache()) {
      cache.get(ID);
      prompts.versions.get(ID).incrementAndGet(); // changed on the server by someone else
      advance(Duration.ofMinutes(11));
      prompts.hold = new CountDownLatch(1); // the refresh waits on the server
      List<CachedPrompt> answers = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        answers.add(cache.get(ID)); // each returns while the refresh is held: none waits for it
      }
      for (CachedPrompt answer : answers) {
        assertTrue(answer.isStale(), answer.toString());
        assertEquals("v1 of " + ID + " for {{user}}", content(answer));
      }
      prompts.release();
      CachedPrompt refreshed = awaitFresh(cache, ID);
      assertEquals(CachedPrompt.Freshness.FRESH, refreshed.freshness());
      assertEquals("v2 of " + ID + " for {{user}}", content(refreshed));
      assertEquals(2, prompts.gets(ID), "one refresh however many reads saw the prompt stale");
      assertEquals(1, cache.stats().refreshes());
      assertTrue(cache.stats().staleHits() >= 50);
    }
  }

  @Test
  void pastTheStaleWindowAReadWaitsForTheFetch() {
    try (Mutagent client = client();
        PromptCache cache = client.promptCache(options().staleWhileRevalidate(Duration.ofMinutes(5)).build())) {
      cache.get(ID);
      prompts.versions.get(ID).incrementAndGet();
      advance(Duration.ofMinutes(16));
      CachedPrompt answer = cache.get(ID);
      assertEquals(CachedPrompt.Freshness.FRESH, answer.freshness());
      assertEquals("v2 of " + ID + " for {{user}}", content(answer));
      assertEquals(2, cache.stats().misses());
      assertEquals(0, cache.stats().refreshes());
    }
  }

  @Test
  void sixtyFourThreadsMissingAtOnceMakeOneRequest() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(64);
    try (Mutagent client = client(); PromptCache cache = client.promptCache()) {
      prompts.hold = new CountDownLatch(1);
      CountDownLatch ready = new CountDownLatch(64);
      List<Future<CachedPrompt>> reads = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        reads.add(threads.submit(() -> {
          ready.countDown();
          return cache.get(ID);
        }));
      }
      assertTrue(ready.await(10, TimeUnit.SECONDS));
      // Released only once all 64 reads have missed (a thread counts its miss just before it joins
      // the shared fetch, and the fetch is held): none can have found the prompt already stored.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (cache.stats().misses() < 64 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertEquals(64, cache.stats().misses(), "all 64 reads missed while the fetch was held");
      prompts.release();
      Prompt first = reads.get(0).get(10, TimeUnit.SECONDS).prompt();
      for (Future<CachedPrompt> read : reads) {
        assertSame(first, read.get(10, TimeUnit.SECONDS).prompt());
      }
      assertEquals(1, prompts.gets(ID));
      assertEquals(1, server.getRequestCount());
      assertEquals(0, cache.stats().hits());
      assertEquals(64, cache.stats().misses());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void sixtyFourAsyncMissesAtOnceMakeOneRequest() throws Exception {
    try (AsyncMutagent client = asyncClient(); AsyncPromptCache cache = client.promptCache()) {
      prompts.hold = new CountDownLatch(1);
      List<CompletableFuture<CachedPrompt>> reads = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        reads.add(cache.get(ID));
      }
      reads.get(1).cancel(true); // one reader giving up leaves the fetch running for the others
      prompts.release();
      for (int i = 0; i < 64; i++) {
        if (i != 1) {
          assertEquals("v1 of " + ID + " for {{user}}", content(reads.get(i).get(10, TimeUnit.SECONDS)));
        }
      }
      assertEquals(1, prompts.gets(ID));
      assertEquals(64, cache.stats().misses());
      assertTrue(cache.get(ID).isDone(), "a hit is a completed future");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Errors: stale up to max-stale, then the fallback
  // ---------------------------------------------------------------------------------------------

  @Test
  void afterAnErrorTheLastGoodPromptIsServedUpToMaxStaleThenTheFallback() {
    PromptCacheOptions options = options().ttl(Duration.ofMinutes(10)).staleWhileRevalidate(Duration.ZERO)
        .maxStaleOnError(Duration.ofHours(1)).build();
    try (Mutagent client = client(); PromptCache cache = client.promptCache(options)) {
      cache.get(ID);
      prompts.failWith = 503;
      advance(Duration.ofMinutes(11));

      CachedPrompt stale = cache.get(ID);
      assertTrue(stale.isStale(), stale.toString());
      assertEquals("v1 of " + ID + " for {{user}}", content(stale));
      assertInstanceOf(InternalServerException.class, stale.error().orElseThrow());
      assertEquals(2, prompts.gets(ID));

      advance(Duration.ofSeconds(10)); // backing off (30 s after the first failure): no request
      assertTrue(cache.get(ID).isStale());
      assertEquals(2, prompts.gets(ID));

      advance(Duration.ofMinutes(50)); // 61 minutes old: past max-stale
      CachedPrompt fallback = cache.get(ID, "Fallback for {{user}}");
      assertTrue(fallback.isFallback(), fallback.toString());
      assertFalse(fallback.fetchedAt().isPresent());
      assertInstanceOf(InternalServerException.class, fallback.error().orElseThrow());
      assertEquals("Fallback for Ada", fallback.fill(Map.of("user", "Ada")).content());
      assertEquals("Fallback for ", fallback.fill(Map.of()).content(), "a fallback's placeholders are optional");
      assertEquals(3, prompts.gets(ID));

      CachedPrompt supplied = cache.get(ID, () -> io.mutagent.prompts.PromptTemplates.fromContent("supplied"));
      assertEquals("supplied", content(supplied));
      assertThrows(InternalServerException.class, () -> cache.get(ID), "no fallback: the API's error");

      prompts.failWith = 0;
      advance(Duration.ofMinutes(2)); // past the back-off
      CachedPrompt back = cache.get(ID);
      assertEquals(CachedPrompt.Freshness.FRESH, back.freshness());
      PromptCacheStats stats = cache.stats();
      assertEquals(2, stats.errors());
      assertEquals(2, stats.fallbacks());
      assertEquals(4, prompts.gets(ID));
    }
  }

  @Test
  void nothingCachedAndTheApiDownGivesTheFallbackOrTheError() {
    prompts.failWith = 500;
    try (Mutagent client = client(); PromptCache cache = client.promptCache()) {
      CachedPrompt fallback = cache.get(ID, "You are helpful.");
      assertTrue(fallback.isFallback());
      assertEquals("You are helpful.", content(fallback));
      assertThrows(InternalServerException.class, () -> cache.get(ID));
      assertEquals(0, cache.size(), "a fallback is never cached");
      assertEquals(1, prompts.gets(ID), "the second read came within the back-off: no request");
    }
  }

  @Test
  void aNotFoundDropsThePromptAndIsNeverHiddenByIt() {
    PromptCacheOptions options = options().staleWhileRevalidate(Duration.ZERO).build();
    try (Mutagent client = client(); PromptCache cache = client.promptCache(options)) {
      cache.get(ID);
      prompts.deleted.add(ID); // deleted by someone else
      advance(Duration.ofMinutes(11));
      assertThrows(NotFoundException.class, () -> cache.get(ID));
      assertEquals(0, cache.size());
      assertTrue(cache.get(ID, "fallback").isFallback());
    }
  }

  @Test
  void aRefreshIsOneRequestWithoutRetriesAndAFailingOneBacksOff() throws Exception {
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString()).scheduler(clock)
        .maxRetries(2).build(); PromptCache cache = client.promptCache()) {
      cache.get(ID);
      prompts.failWith = 503;
      advance(Duration.ofMinutes(11));
      cache.get(ID); // stale: starts the refresh
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (cache.stats().errors() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertEquals(1, cache.stats().errors());
      assertEquals(2, prompts.gets(ID), "the refresh was sent once: the client's retries are not used");
      for (int i = 0; i < 10; i++) {
        assertTrue(cache.get(ID).isStale());
      }
      assertEquals(2, prompts.gets(ID), "within the back-off no read starts another refresh");
      assertEquals(1, cache.stats().refreshes());
    }
  }

  @Test
  void aNetworkFailureA429A5xxOrAnUnreadableAnswerServesTheLastGoodPrompt() {
    Map<String, java.util.function.Supplier<MockResponse>> failures = new java.util.LinkedHashMap<>();
    failures.put("429", () -> RetryTest.status(429).setHeader("Retry-After", "1"));
    failures.put("500", () -> RetryTest.status(500));
    failures.put("502", () -> RetryTest.status(502));
    // DISCONNECT_AFTER_REQUEST: MockWebServer honours DISCONNECT_AT_START only from its dispatcher's
    // peek(), so from dispatch() it answered an empty 200 (an unreadable answer, not a dropped connection).
    failures.put("dropped connection", () -> new MockResponse().setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_AFTER_REQUEST));
    failures.put("unreadable answer", () -> PromptServer.json("<html>maintenance</html>"));
    PromptCacheOptions options = options().staleWhileRevalidate(Duration.ZERO).build();
    for (Map.Entry<String, java.util.function.Supplier<MockResponse>> failure : failures.entrySet()) {
      prompts.failure = null;
      try (Mutagent client = client(); PromptCache cache = client.promptCache(options)) {
        cache.get(ID);
        prompts.failure = failure.getValue();
        advance(Duration.ofMinutes(11));
        CachedPrompt answer = cache.get(ID);
        assertTrue(answer.isStale(), failure.getKey() + ": " + answer);
        assertInstanceOf(MutagentException.class, answer.error().orElseThrow(), failure.getKey());
        if (failure.getKey().equals("dropped connection")) {
          assertInstanceOf(io.mutagent.errors.MutagentIoException.class, answer.error().orElseThrow());
        }
      }
    }
    prompts.failure = null;
  }

  @Test
  void anAuthenticationErrorIsNeverHiddenByAStalePrompt() {
    PromptCacheOptions options = options().staleWhileRevalidate(Duration.ZERO).build();
    try (Mutagent client = client(); PromptCache cache = client.promptCache(options)) {
      cache.get(ID);
      prompts.failWith = 401;
      advance(Duration.ofMinutes(11));
      assertThrows(io.mutagent.errors.AuthenticationException.class, () -> cache.get(ID));
      prompts.failWith = 403;
      advance(Duration.ofMinutes(1));
      assertThrows(io.mutagent.errors.PermissionDeniedException.class, () -> cache.get(ID));
    }
  }

  @Test
  void aRefreshIsSentAsBackgroundWorkAndAMissIsNot() throws Exception {
    List<Boolean> background = new java.util.concurrent.CopyOnWriteArrayList<>();
    okhttp3.OkHttpClient http = new okhttp3.OkHttpClient.Builder().addInterceptor(chain -> {
      retrofit2.Invocation invocation = chain.request().tag(retrofit2.Invocation.class);
      Object last = invocation.arguments().get(invocation.arguments().size() - 1);
      background.add(((io.mutagent.internal.http.CallHeaders) last).options().background());
      return chain.proceed(chain.request());
    }).build();
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString()).scheduler(clock)
        .httpClient(http).build(); PromptCache cache = client.promptCache()) {
      cache.get(ID);
      advance(Duration.ofMinutes(11));
      cache.get(ID);
      awaitFresh(cache, ID);
      assertEquals(List.of(false, true), background);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Invalidation by the same client's writes
  // ---------------------------------------------------------------------------------------------

  @Test
  void anUpdateANewVersionAndADeleteThroughTheClientDropThePrompt() {
    try (Mutagent client = client(); PromptCache cache = client.promptCache()) {
      assertEquals("v1 of " + ID + " for {{user}}", content(cache.get(ID)));

      client.prompt().updatePrompt(ID, UpdatePromptRequest.builder().name("renamed").build());
      assertEquals("v2 of " + ID + " for {{user}}", content(cache.get(ID)));

      client.prompt().createPromptVersion(ID, CreatePromptVersionRequest.builder().content("v3").build());
      assertEquals("v3 of " + ID + " for {{user}}", content(cache.get(ID)));

      client.prompt().withRawResponse().updatePrompt(ID, UpdatePromptRequest.builder().name("again").build());
      assertEquals("v4 of " + ID + " for {{user}}", content(cache.get(ID)));

      client.prompt().deletePrompt(ID);
      assertThrows(NotFoundException.class, () -> cache.get(ID));
      assertEquals(5, prompts.gets(ID));
      assertEquals(5, cache.stats().misses());
    }
  }

  @Test
  void theAsyncClientsWritesAndACopyInTheSameWorkspaceInvalidateToo() throws Exception {
    try (AsyncMutagent client = asyncClient(); AsyncPromptCache cache = client.promptCache()) {
      cache.get(ID).get(10, TimeUnit.SECONDS);
      // The invalidation happens before the write's future completes: a read in its callback sees it.
      CachedPrompt after = client.prompt().updatePrompt(ID, UpdatePromptRequest.builder().name("x").build())
          .thenCompose(updated -> cache.get(ID)).get(10, TimeUnit.SECONDS);
      assertEquals("v2 of " + ID + " for {{user}}", content(after));

      client.withOptions(b -> b.maxRetries(1)).sync().prompt().updatePrompt(ID, UpdatePromptRequest.builder().name("y").build());
      assertEquals("v3 of " + ID + " for {{user}}", content(cache.get(ID).get(10, TimeUnit.SECONDS)));
      assertEquals(3, prompts.gets(ID));
    }
  }

  @Test
  void aWriteInAnotherWorkspaceLeavesThisWorkspacesPromptCached() {
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).keyScope(KeyScope.ORGANIZATION).workspaceId("ws_a")
        .serverUrl(server.url("/").toString()).scheduler(clock).build();
        PromptCache cache = client.promptCache()) {
      cache.get(ID);
      client.withWorkspace("ws_b").prompt().updatePrompt(ID, UpdatePromptRequest.builder().name("x").build());
      assertEquals(CachedPrompt.Freshness.FRESH, cache.get(ID).freshness());
      assertEquals(1, prompts.gets(ID));
      client.withWorkspace("ws_a").prompt().updatePrompt(ID, UpdatePromptRequest.builder().name("y").build());
      cache.get(ID);
      assertEquals(2, prompts.gets(ID));
    }
  }

  @Test
  void aFetchRunningWhenThePromptIsWrittenIsNotKept() throws Exception {
    try (AsyncMutagent client = asyncClient(); AsyncPromptCache cache = client.promptCache()) {
      prompts.hold = new CountDownLatch(1);
      CompletableFuture<CachedPrompt> before = cache.get(ID); // held on the server with version 1
      while (prompts.gets(ID) == 0) {
        Thread.sleep(1);
      }
      cache.invalidate(ID); // as a write through the client does
      prompts.versions.get(ID).incrementAndGet();
      prompts.release();
      assertEquals("v1 of " + ID + " for {{user}}", content(before.get(10, TimeUnit.SECONDS)));
      assertEquals(0, cache.size(), "the answer fetched before the write is not stored");
      assertEquals("v2 of " + ID + " for {{user}}", content(cache.get(ID).get(10, TimeUnit.SECONDS)));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Size, prefetch, counts, closing, quota
  // ---------------------------------------------------------------------------------------------

  @Test
  void theCacheHoldsAtMostItsMaximumDroppingThePromptReadLeastRecently() {
    try (Mutagent client = client(); PromptCache cache = client.promptCache(options().maximumSize(2).build())) {
      cache.get("prm_a");
      advance(Duration.ofSeconds(1));
      cache.get("prm_b");
      advance(Duration.ofSeconds(1));
      cache.get("prm_a"); // read: now b is the least recent
      advance(Duration.ofSeconds(1));
      cache.get("prm_c");
      assertEquals(2, cache.size());
      assertEquals(1, cache.stats().evictions());
      cache.get("prm_a");
      cache.get("prm_c");
      assertEquals(1, prompts.gets("prm_a"));
      cache.get("prm_b");
      assertEquals(2, prompts.gets("prm_b"), "b was dropped");
    }
  }

  @Test
  void prefetchFetchesAllAtOnceAndSaysWhichFailed() {
    prompts.deleted.add("prm_gone");
    try (Mutagent client = client(); PromptCache cache = client.promptCache()) {
      Map<String, RuntimeException> failed = cache.prefetch(List.of("prm_a", "prm_gone", "prm_b"));
      assertEquals(Set.of("prm_gone"), failed.keySet());
      assertInstanceOf(NotFoundException.class, failed.get("prm_gone"));
      assertEquals(CachedPrompt.Freshness.FRESH, cache.get("prm_a").freshness());
      assertEquals(CachedPrompt.Freshness.FRESH, cache.get("prm_b").freshness());
      assertTrue(cache.prefetch(List.of("prm_a")).isEmpty());
      assertEquals(1, prompts.gets("prm_a"), "a fresh prompt is not prefetched again");
      assertEquals(2, cache.stats().hits());
    }
  }

  @Test
  void closingTheClientClosesItsCachesAndClosingACacheStopsItHearingWrites() throws Exception {
    Mutagent client = client();
    PromptCache cache = client.promptCache();
    PromptCache other = client.promptCache();
    cache.get(ID);
    assertEquals(2, client.core().transport.changes.size());
    other.close();
    assertEquals(1, client.core().transport.changes.size());
    assertThrows(IllegalStateException.class, () -> other.get(ID));
    client.close();
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> cache.get(ID));
    assertTrue(closed.getMessage().contains("client"), closed.getMessage());
    assertThrows(IllegalStateException.class, client::promptCache);
    AsyncMutagent async = asyncClient();
    AsyncPromptCache asyncCache = async.promptCache();
    async.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> asyncCache.get(ID).get(10, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingIsSent() {
    try (Mutagent client = client(); PromptCache cache = client.promptCache()) {
      assertThrows(IllegalArgumentException.class, () -> cache.get(" "));
      assertThrows(IllegalArgumentException.class, () -> cache.get(null));
      assertThrows(IllegalArgumentException.class, () -> cache.get(ID, (String) null));
      assertThrows(IllegalArgumentException.class, () -> cache.get(ID, (java.util.function.Supplier<Prompt>) null));
      assertThrows(IllegalArgumentException.class, () -> cache.prefetch(null));
      assertThrows(IllegalArgumentException.class, () -> client.promptCache(null));
      assertThrows(IllegalArgumentException.class, () -> options().ttl(Duration.ZERO));
      assertThrows(IllegalArgumentException.class, () -> options().ttl(null));
      assertThrows(IllegalArgumentException.class, () -> options().staleWhileRevalidate(Duration.ofSeconds(-1)));
      assertThrows(IllegalArgumentException.class, () -> options().maxStaleOnError(null));
      assertThrows(IllegalArgumentException.class, () -> options().maximumSize(0));
      assertEquals(0, server.getRequestCount());
    }
    PromptCacheOptions defaults = PromptCacheOptions.defaults();
    assertEquals(Duration.ofMinutes(10), defaults.ttl());
    assertEquals(1_000, defaults.maximumSize());
    assertEquals(Duration.ofMinutes(3), defaults.toBuilder().ttl(Duration.ofMinutes(3)).build().ttl());
  }

  @Test
  void aHotPromptCostsAtMost150RequestsADayWhetherTheApiAnswersOrNot() throws Exception {
    // 0: the API answers; 503: it fails every fetch; -1: it flaps, failing every other fetch (a
    // success must not let the next refresh come sooner than a TTL after the failure before it).
    // -2: it flaps between 404 and the prompt (a 404 drops the entry, so reads fetch as misses, whose
    // back-off a success in between must not reset).
    for (int status : new int[] {0, 503, -1, -2}) {
      prompts.gets.clear();
      prompts.failWith = 0;
      prompts.failure = null;
      try (Mutagent client = client(); PromptCache cache = client.promptCache()) {
        cache.get(ID);
        if (status < 0) {
          AtomicInteger fetches = new AtomicInteger();
          int failing = status == -1 ? 503 : 404;
          prompts.failure = () -> fetches.getAndIncrement() % 2 == 0 ? RetryTest.status(failing)
              : PromptServer.json(prompt(ID, 1));
        } else {
          prompts.failWith = status;
        }
        for (int second = 0; second < 86_400; second += 5) { // a read every 5 s, all day
          advance(Duration.ofSeconds(5));
          PromptCacheStats before = cache.stats();
          cache.get(ID, "the fallback"); // served when a 404 left nothing to serve
          if (cache.stats().refreshes() > before.refreshes()) {
            awaitRefresh(cache, before);
          }
        }
        int requests = prompts.gets(ID);
        System.out.println("prompt cache, defaults, a read every 5 s for a day, API " + (status == 0 ? "up"
            : status == -1 ? "answering 503 to every other fetch" : status == -2 ? "answering 404 to every other fetch"
            : "answering " + status) + ": " + requests + " requests");
        assertTrue(requests <= 150 && requests >= 100, "status " + status + ": " + requests + " requests in a day");
      }
    }
  }

  /** Waits until the refresh a read started has ended, so that the fake clock does not outrun it. */
  static void awaitRefresh(PromptCache cache, PromptCacheStats before) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (cache.stats().errors() == before.errors() && cache.get(ID).isStale() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  @Test
  void closingTheClientOrACopyClosesItsCachesAtOnceNotOnTheirNextRead() throws Exception {
    Mutagent client = TestClients.mutagent().apiKey(KEY).keyScope(KeyScope.ORGANIZATION).workspaceId("ws_a")
        .serverUrl(server.url("/").toString()).scheduler(clock).maxRetries(0).build();
    io.mutagent.internal.cache.ChangeFeed feed = client.core().transport.changes;
    io.mutagent.internal.http.Resources resources = client.core().state.resources();
    PromptCache cache = client.promptCache();
    cache.get(ID);
    // A copy per tenant, its cache, closed: nothing of it stays subscribed or registered.
    for (int tenant = 0; tenant < 3; tenant++) {
      Mutagent copy = client.withWorkspace("ws_" + tenant);
      PromptCache tenantCache = copy.promptCache();
      tenantCache.get(ID);
      assertEquals(1, tenantCache.size());
      assertEquals(2, feed.size());
      copy.close();
      assertEquals(1, feed.size(), "the copy's cache no longer hears the transport's writes");
      assertEquals(0, tenantCache.size());
      assertThrows(IllegalStateException.class, () -> tenantCache.get(ID));
    }
    assertEquals(1, resources.closeFirstCount(), "only the root client's cache is left to close");
    // A cache closed by hand is forgotten by its client.
    PromptCache shortLived = client.promptCache();
    assertEquals(2, resources.closeFirstCount());
    shortLived.close();
    assertEquals(1, resources.closeFirstCount());
    assertEquals(1, feed.size());
    // The copy's cache closes with the client that owns the copy's resources too.
    AsyncPromptCache copysAsync = client.withWorkspace("ws_x").async().promptCache();
    assertEquals(2, feed.size());
    assertEquals(1, cache.size());
    client.close();
    assertEquals(0, feed.size(), "no cache hears the writes after the client closed");
    assertEquals(0, cache.size(), "the closed client's cache let its prompts go");
    assertEquals(0, resources.closeFirstCount());
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> copysAsync.get(ID).get(10, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void aWriteWhoseCallNamesAnotherWorkspaceDropsThePromptFromThatWorkspacesCache() throws Exception {
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).keyScope(KeyScope.ORGANIZATION).workspaceId("ws_a")
        .serverUrl(server.url("/").toString()).scheduler(clock).maxRetries(0).build();
        PromptCache cacheA = client.promptCache();
        PromptCache cacheB = client.withWorkspace("ws_b").promptCache()) {
      cacheA.get(ID);
      cacheB.get(ID);
      assertEquals(2, prompts.gets(ID));
      RequestOptions inB = RequestOptions.builder().workspaceId("ws_b").build();
      client.prompt().updatePrompt(ID, UpdatePromptRequest.builder().name("x").build(), inB);
      assertEquals("x-workspace-id: ws_b", "x-workspace-id: " + lastWrite().getHeader("x-workspace-id"));
      assertEquals(CachedPrompt.Freshness.FRESH, cacheA.get(ID).freshness(), "ws_a's cache was not written to");
      assertEquals(2, prompts.gets(ID));
      assertEquals("v2 of " + ID + " for {{user}}", content(cacheB.get(ID)), "ws_b's cache dropped the prompt");
      assertEquals(3, prompts.gets(ID));
      // The async path publishes the call's workspace too.
      client.async().prompt().updatePrompt(ID, UpdatePromptRequest.builder().name("y").build(), inB)
          .get(10, TimeUnit.SECONDS);
      assertEquals("v3 of " + ID + " for {{user}}", content(cacheB.get(ID)));
      assertEquals(4, prompts.gets(ID));
      assertEquals(1, cacheA.stats().hits(), "ws_a's cache answered its second read from memory");
    }
  }

  /** Returns the last PATCH the server received, skipping the GETs. */
  RecordedRequest lastWrite() throws InterruptedException {
    RecordedRequest last = null;
    for (int i = server.getRequestCount(); i > 0; i--) {
      RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
      if (request != null && "PATCH".equals(request.getMethod())) {
        last = request;
      }
    }
    assertNotNull(last, "no PATCH received");
    return last;
  }

  @Test
  void eachReadThrowsItsOwnExceptionCausedByTheFailureTheFetchStored() throws Exception {
    prompts.failWith = 503;
    try (Mutagent client = client(); PromptCache cache = client.promptCache()) {
      InternalServerException first = assertThrows(InternalServerException.class, () -> cache.get(ID));
      advance(Duration.ofSeconds(10)); // within the 30 s back-off: answered from the stored failure
      InternalServerException second = assertThrows(InternalServerException.class, () -> cache.get(ID));
      InternalServerException third = assertThrows(InternalServerException.class, () -> cache.get(ID));
      assertEquals(1, prompts.gets(ID), "the back-off sent nothing");
      assertTrue(first != second && second != third && first != third, "each read threw its own exception");
      Throwable stored = second.getCause();
      assertInstanceOf(InternalServerException.class, stored);
      assertSame(stored, third.getCause(), "caused by the one failure the fetch stored");
      assertSame(stored, first.getCause());
      assertEquals(stored.getMessage(), second.getMessage());
      assertEquals(503, second.statusCode());
      assertEquals(((InternalServerException) stored).headers().toString(), second.headers().toString());
      assertTrue(java.util.Arrays.stream(second.getStackTrace())
          .anyMatch(frame -> frame.getClassName().equals(PromptCacheTest.class.getName())),
          "the stack trace is the reading thread's");
    }
    prompts.failWith = 429;
    try (AsyncMutagent client = asyncClient(); AsyncPromptCache cache = client.promptCache()) {
      ExecutionException first = assertThrows(ExecutionException.class, () -> cache.get(ID).get(10, TimeUnit.SECONDS));
      ExecutionException second = assertThrows(ExecutionException.class, () -> cache.get(ID).get(10, TimeUnit.SECONDS));
      assertInstanceOf(io.mutagent.errors.RateLimitException.class, first.getCause());
      assertInstanceOf(io.mutagent.errors.RateLimitException.class, second.getCause());
      assertTrue(((io.mutagent.errors.RateLimitException) second.getCause()).sent());
      assertTrue(first.getCause() != second.getCause(), "each read failed with its own exception");
      assertSame(first.getCause().getCause(), second.getCause().getCause(), "both caused by the failure the fetch stored");
    }
  }
}
