package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.MutagentException;
import io.mutagent.errors.QuotaExceededException;
import io.mutagent.errors.RateLimitException;
import io.mutagent.errors.RateLimitWaitException;
import io.mutagent.ratelimit.RateLimitStatus;
import io.mutagent.ratelimit.RateLimitWait;
import io.mutagent.ratelimit.RateLimits;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client-side rate limiter against a scripted server that enforces a per-window budget
 * ({@link WindowServer}): on a fake clock ({@link FakeScheduler}) where one thread is enough, on a
 * clock running twice as fast ({@link ScaledClock}) where many threads must overlap. No test
 * waits out a window in real time.
 */
class RateLimitTest {
  static final String KEY = "mt_rate_limit_test_key";

  MockWebServer server;
  ExecutorService threads;
  final List<ScaledClock> clocks = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
    threads = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "rate-limit-caller");
      thread.setDaemon(true);
      return thread;
    });
  }

  @AfterEach
  void stop() throws IOException {
    threads.shutdownNow();
    clocks.forEach(ScaledClock::shutdown);
    server.shutdown();
  }

  String url() {
    return server.url("/").toString();
  }

  /**
   * A clock twice as fast as real time: a 1 s window passes in 500 ms, long enough that a loaded
   * 2-core machine's scheduling delays and the first connections' set-up stay small against it
   * (at 5 times, one CI run in about twenty met 13 429s where 0 to 4 is usual).
   */
  ScaledClock scaled(long seed) {
    ScaledClock clock = new ScaledClock(2, seed);
    clocks.add(clock);
    return clock;
  }

  static int failures(List<Future<?>> calls) throws Exception {
    int failed = 0;
    for (Future<?> call : calls) {
      try {
        call.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        failed++;
        System.out.println("rate limits: a call failed: " + e.getCause());
      }
    }
    return failed;
  }

  @Test
  void fiveHundredCallsFromEightThreadsSeeNo429() throws Exception {
    ScaledClock clock = scaled(1);
    WindowServer budget = new WindowServer(clock, 10, 1000);
    server.setDispatcher(budget);
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock).build();
    List<Future<?>> calls = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int share = t < 4 ? 63 : 62; // 500 in all
      calls.add(threads.submit(() -> {
        for (int i = 0; i < share; i++) {
          client.prompt().getPrompt("prm_1");
        }
        return null;
      }));
    }
    assertEquals(0, failures(calls), "no call failed");
    assertEquals(0, budget.throttled.get(), "the server never had to answer 429");
    assertEquals(500, budget.requests.get(), "one request per call");
    client.close();
  }

  @Test
  void aWindowTheServerShrinksMidwayIsLearnedFromTheHeaders() throws Exception {
    ScaledClock clock = scaled(2);
    WindowServer budget = new WindowServer(clock, 10, 1000);
    server.setDispatcher(budget);
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock).build();
    AtomicInteger done = new AtomicInteger();
    List<Future<?>> calls = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      calls.add(threads.submit(() -> {
        for (int i = 0; i < 50; i++) {
          client.prompt().getPrompt("prm_1");
          if (done.incrementAndGet() == 80) {
            budget.limit = 4;
          }
        }
        return null;
      }));
    }
    assertEquals(0, failures(calls), "no call failed");
    // Calls already in flight when the limit drops can meet it; after that, the headers rule.
    assertTrue(budget.throttled.get() <= 4, budget.throttled.get() + " 429s");
    assertEquals(4, client.rateLimitStatus().limit().getAsLong(), "the new limit was learned");
    client.close();
  }

  @Test
  void eightSeparatelyBuiltClientsOnOneKeyStayCloseToTheWindowAndSpreadTheirSends() throws Exception {
    ScaledClock base = scaled(3);
    WindowServer budget = new WindowServer(base, 10, 1000);
    server.setDispatcher(budget);
    List<Future<?>> calls = new ArrayList<>();
    List<Mutagent> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      // Each its own client, as in its own process: own limiter, own randomness, same key.
      Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(base.withSeed(100 + c)).build();
      clients.add(client);
      RequestOptions tagged = RequestOptions.builder().header("X-Test-Client", String.valueOf(c)).build();
      calls.add(threads.submit(() -> {
        for (int i = 0; i < 25; i++) {
          client.prompt().getPrompt("prm_1", tagged);
        }
        return null;
      }));
    }
    assertEquals(0, failures(calls), "no call failed");
    int throttled = budget.throttled.get();
    assertTrue(throttled <= 10, throttled + " 429s for 200 calls (at most 10, 5%)");
    List<Double> spreads = budget.firstSendSpreads(4);
    assertFalse(spreads.isEmpty(), "windows after a reset were seen");
    Collections.sort(spreads);
    double median = spreads.get(spreads.size() / 2);
    assertTrue(median >= 0.2, "the first sends after a reset spread over " + median + " of the window (median of "
        + spreads + ")");
    clients.forEach(Mutagent::close);
    System.out.println("rate limits: 8 clients on one key, 200 calls: " + throttled + " 429s, first sends after a "
        + "reset spread over " + Math.round(median * 100) + "% of the window (median)");
  }

  @Test
  void aCopyAndTheAsyncViewDrawFromTheSameWindow() {
    FakeScheduler clock = new FakeScheduler();
    WindowServer budget = new WindowServer(clock, 3, 60_000);
    server.setDispatcher(budget);
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock).build();
    Mutagent copy = client.withOptions(b -> b.maxRetries(0));
    client.prompt().getPrompt("prm_1");
    copy.prompt().getPrompt("prm_1");
    client.async().prompt().getPrompt("prm_1").join();
    assertTrue(clock.waits.isEmpty(), "three calls fit the window of 3");
    copy.async().prompt().getPrompt("prm_1").join();
    assertEquals(1, clock.waits.size(), "the fourth, from the copy's async view, waited for the shared window");
    assertEquals(0, budget.throttled.get());
    RateLimitStatus status = client.rateLimitStatus();
    assertEquals(4, status.usedToday(), "the original counts its copy's requests: " + status);
    assertEquals(status.usedToday(), copy.rateLimitStatus().usedToday());
    client.close();
  }

  @Test
  void aCopyWithAnotherKeyDrawsFromItsOwnWindow() {
    FakeScheduler clock = new FakeScheduler();
    WindowServer budget = new WindowServer(clock, 2, 60_000);
    server.setDispatcher(budget);
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock).build();
    client.prompt().getPrompt("prm_1");
    client.prompt().getPrompt("prm_1");
    assertEquals(0, client.rateLimitStatus().remaining().getAsLong(), "the key's window is spent");
    Mutagent other = client.withOptions(b -> b.apiKey("mt_another_key"));
    other.prompt().getPrompt("prm_1");
    assertTrue(clock.waits.isEmpty(), "another key's window has room: no wait");
    assertEquals(1, other.rateLimitStatus().remaining().getAsLong());
    assertEquals(0, client.rateLimitStatus().remaining().getAsLong());
    assertFalse(client.rateLimitStatus().toString().contains(KEY), "the status never shows the key");
    client.close();
  }

  @Test
  void aKeyRotatedByItsSupplierStartsItsOwnWindow() {
    FakeScheduler clock = new FakeScheduler();
    WindowServer budget = new WindowServer(clock, 1, 60_000);
    server.setDispatcher(budget);
    java.util.concurrent.atomic.AtomicReference<String> key = new java.util.concurrent.atomic.AtomicReference<>(KEY);
    Mutagent client = TestClients.mutagent().apiKeySupplier(key::get).serverUrl(url()).scheduler(clock).build();
    client.prompt().getPrompt("prm_1");
    assertEquals(0, client.rateLimitStatus().remaining().getAsLong(), "the first key's window is spent");
    key.set("mt_rotated_key");
    client.prompt().getPrompt("prm_1");
    assertTrue(clock.waits.isEmpty(), "the rotated key's window has room: no wait");
    assertEquals(0, budget.throttled.get());
    client.close();
  }

  @Test
  void aSpentDailyBudgetFailsTheNextCallAtOnceWithNothingSent() {
    FakeScheduler clock = new FakeScheduler();
    WindowServer budget = new WindowServer(clock, 100, 60_000);
    server.setDispatcher(budget);
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock)
        .rateLimits(RateLimits.builder().dailyBudget(3).build()).build();
    for (int i = 0; i < 3; i++) {
      client.prompt().getPrompt("prm_1");
    }
    QuotaExceededException e = assertThrows(QuotaExceededException.class, () -> client.prompt().getPrompt("prm_1"));
    assertFalse(e.sent(), "refused before sending");
    assertEquals(3, budget.requests.get(), "nothing was sent");
    long day = 86_400_000L;
    assertEquals(Instant.ofEpochMilli(Math.floorDiv(clock.now().toEpochMilli(), day) * day + day), e.renewsAt());
    assertTrue(e.getMessage().contains("renews at") && e.getMessage().contains("not sent"), e.getMessage());
    assertInstanceOf(QuotaExceededException.class, assertThrows(java.util.concurrent.CompletionException.class,
        () -> client.async().prompt().getPrompt("prm_1").join()).getCause(), "the async view is refused too");
    assertEquals(3, budget.requests.get());
    assertEquals(3, client.rateLimitStatus().usedToday());
    assertTrue(client.rateLimitStatus().quotaRenewsAt().isPresent());
    client.close();
  }

  @Test
  void aQuota429IsNotRetriedAndLaterCallsAreRefusedBeforeSending() {
    FakeScheduler clock = new FakeScheduler();
    WindowServer budget = new WindowServer(clock, 100, 60_000);
    budget.dailyQuota = 2;
    server.setDispatcher(budget);
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock).maxRetries(3).build();
    client.prompt().getPrompt("prm_1");
    client.prompt().getPrompt("prm_1");
    QuotaExceededException fromServer = assertThrows(QuotaExceededException.class,
        () -> client.prompt().getPrompt("prm_1"));
    assertTrue(fromServer.sent(), "the server said so");
    assertEquals("daily_quota_exceeded", fromServer.errorCode().orElse(null));
    assertEquals(3, budget.requests.get(), "not retried");
    assertTrue(clock.waits.isEmpty(), "no wait");
    QuotaExceededException refused = assertThrows(QuotaExceededException.class,
        () -> client.prompt().getPrompt("prm_1"));
    assertFalse(refused.sent(), "refused before sending");
    assertEquals(fromServer.renewsAt(), refused.renewsAt());
    assertEquals(3, budget.requests.get(), "nothing more was sent");
    client.close();
  }

  @Test
  void a429WhoseRetryAfterIsPastTheRetryCapIsTheQuotaException() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Content-Type", "application/json")
        .setHeader("Retry-After", "120").setBody("{\"error\":\"rate_limited\",\"message\":\"slow down\"}"));
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(new FakeScheduler()).build();
    QuotaExceededException e = assertThrows(QuotaExceededException.class, () -> client.prompt().getPrompt("prm_1"));
    assertTrue(e.sent());
    assertInstanceOf(RateLimitException.class, e, "still a RateLimitException for code that catches 429s");
    assertEquals(1, server.getRequestCount(), "not retried");
    client.close();
  }

  @Test
  void aDailyQuota429IsNotRetriedEvenWhenItRenewsWithinTheRetryCap() {
    // 30 s before 00:00 UTC: the Retry-After fits the retry cap, the error code says "quota".
    MockResponse quota = new MockResponse().setResponseCode(429).setHeader("Content-Type", "application/json")
        .setHeader("Retry-After", "30").setBody("{\"error\":\"daily_quota_exceeded\",\"message\":\"spent\"}");
    server.enqueue(quota);
    server.enqueue(quota);
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(new FakeScheduler()).build();
    QuotaExceededException e = assertThrows(QuotaExceededException.class, () -> client.prompt().getPrompt("prm_1"));
    assertTrue(e.sent());
    assertEquals(1, server.getRequestCount(), "blocking: not retried");
    Mutagent other = TestClients.mutagent().apiKey("mt_other").serverUrl(url()).scheduler(new FakeScheduler()).build();
    assertInstanceOf(QuotaExceededException.class, assertThrows(java.util.concurrent.CompletionException.class,
        () -> other.async().prompt().getPrompt("prm_1").join()).getCause());
    assertEquals(2, server.getRequestCount(), "async: not retried");
    client.close();
    other.close();
  }

  @Test
  void backgroundWorkLeavesTheReserveToTheApplicationsOwnCalls() {
    FakeScheduler clock = new FakeScheduler();
    WindowServer budget = new WindowServer(clock, 10, 30_000);
    server.setDispatcher(budget);
    List<RateLimitWait> waits = Collections.synchronizedList(new ArrayList<>());
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock)
        .rateLimits(RateLimits.builder().listener(waits::add).build()).build();
    RequestOptions background = RequestOptions.builder().background(true).build();
    for (int i = 0; i < 9; i++) {
      client.prompt().getPrompt("prm_1", background);
    }
    assertTrue(waits.isEmpty(), "9 of 10 leave the reserve of 1");
    client.prompt().getPrompt("prm_1", background);
    assertEquals(1, waits.size(), "the 10th background call waited for the next window");
    assertTrue(waits.get(0).background() && waits.get(0).reason().contains("kept for the application"),
        waits.get(0).toString());
    for (int i = 0; i < 8; i++) { // the next window: 9 used, 1 left
      client.prompt().getPrompt("prm_1", background);
    }
    client.prompt().getPrompt("prm_1");
    assertEquals(1, waits.size(), "the application's own call used the reserve without waiting");
    assertEquals(0, budget.throttled.get());

    Mutagent daily = TestClients.mutagent().apiKey("mt_daily").serverUrl(url()).scheduler(clock)
        .rateLimits(RateLimits.builder().dailyBudget(10).build()).build();
    for (int i = 0; i < 9; i++) {
      daily.prompt().getPrompt("prm_1", background);
    }
    QuotaExceededException e = assertThrows(QuotaExceededException.class,
        () -> daily.prompt().getPrompt("prm_1", background));
    assertTrue(e.getMessage().contains("kept for the application"), e.getMessage());
    daily.prompt().getPrompt("prm_1"); // the 10th, the application's
    assertThrows(QuotaExceededException.class, () -> daily.prompt().getPrompt("prm_1"));
    client.close();
    daily.close();
  }

  @Test
  void aWaitPastTheCallsDeadlineFailsAtOnceWithNothingSent() {
    FakeScheduler clock = new FakeScheduler();
    WindowServer budget = new WindowServer(clock, 1, 60_000);
    server.setDispatcher(budget);
    // 1 s into a window: it resets 59 s from now, well past the call's 5 s.
    clock.advance(Duration.ofMillis(60_000 - clock.now().toEpochMilli() % 60_000 + 1000));
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock).build();
    client.prompt().getPrompt("prm_1");
    RequestOptions fiveSeconds = RequestOptions.builder().timeout(Duration.ofSeconds(5)).build();
    RateLimitWaitException e = assertThrows(RateLimitWaitException.class,
        () -> client.prompt().getPrompt("prm_1", fiveSeconds));
    assertFalse(e.sent());
    assertTrue(e.getMessage().contains("Nothing was sent") && e.getMessage().contains("timeout"), e.getMessage());
    assertTrue(e.retryAfter().isPresent());
    CompletableFuture<?> async = client.async().prompt().getPrompt("prm_1", fiveSeconds);
    assertInstanceOf(RateLimitWaitException.class, assertThrows(java.util.concurrent.CompletionException.class,
        async::join).getCause());
    assertEquals(1, budget.requests.get(), "nothing more was sent");
    assertTrue(clock.waits.isEmpty(), "it did not wait first");
    client.close();
  }

  @Test
  void aWaitIsLoggedAtInfoAndToldToTheListener() {
    FakeScheduler clock = new FakeScheduler();
    WindowServer budget = new WindowServer(clock, 1, 1000);
    server.setDispatcher(budget);
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    List<RateLimitWait> waits = Collections.synchronizedList(new ArrayList<>());
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock)
        .logger(new LifecycleTest.CallbackLogger(lines::add)).logLevel(LogLevel.INFO)
        .rateLimits(RateLimits.builder().listener(waits::add).build()).build();
    client.prompt().getPrompt("prm_1");
    client.prompt().getPrompt("prm_1");
    assertEquals(1, waits.size());
    assertEquals("GET /api/prompt/prm_1", waits.get(0).operation());
    // At most the window plus the 50 ms the limiter waits after a reset (more than 1 s when the
    // fake clock starts in the first 50 ms of a second).
    assertTrue(waits.get(0).delay().compareTo(Duration.ofMillis(1050)) <= 0, waits.get(0).toString());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("waiting up to ") && l.contains("GET /api/prompt/prm_1")
        && l.contains("0 of 1 requests left in the window")), lines.toString());
    assertFalse(lines.stream().anyMatch(l -> l.contains(KEY)), "the key is never logged");
    client.close();
  }

  @Test
  void maxConcurrencyQueuesBlockingAndAsyncCallsAndNeverFailsThem() throws Exception {
    WindowServer budget = new WindowServer(new FakeScheduler(), 1_000_000, 60_000);
    budget.delayMillis = 20;
    server.setDispatcher(budget);
    assertEquals(0, runConcurrently(0), "no call failed without a bound");
    int unbounded = budget.mostInFlight.getAndSet(0);
    assertTrue(unbounded > 2, "without maxConcurrency the server saw " + unbounded + " at once");
    assertEquals(0, runConcurrently(2), "no call failed for maxConcurrency");
    assertEquals(2, budget.mostInFlight.get(), "with maxConcurrency(2) the server saw at most 2 at once");
  }

  /** 6 threads of 5 blocking calls and 10 async calls; returns how many failed. */
  int runConcurrently(int maxConcurrency) throws Exception {
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).maxConcurrency(maxConcurrency).build();
    List<Future<?>> calls = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      calls.add(threads.submit(() -> {
        for (int i = 0; i < 5; i++) {
          client.prompt().getPrompt("prm_1");
        }
        return null;
      }));
    }
    for (int i = 0; i < 10; i++) {
      calls.add(client.async().prompt().getPrompt("prm_1"));
    }
    int failed = failures(calls);
    client.close();
    return failed;
  }

  @Test
  void settingsAreCheckedAndCopiesCannotChangeThem() {
    assertThrows(IllegalArgumentException.class, () -> RateLimits.builder().dailyBudget(-1));
    assertThrows(IllegalArgumentException.class, () -> RateLimits.builder().backgroundReserve(0.95));
    assertThrows(IllegalArgumentException.class, () -> RateLimits.builder().requestsPerMinute(-5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestClients.mutagent().maxConcurrency(-1).build());
    assertTrue(e.getMessage().contains("maxConcurrency"), e.getMessage());
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).build();
    e = assertThrows(IllegalArgumentException.class, () -> client.withOptions(b -> b.maxConcurrency(3)));
    assertTrue(e.getMessage().contains("set them when the client is built"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> client.withOptions(b -> b.rateLimits(RateLimits.off())));
    client.close();
  }

  @Test
  void offSendsEveryCallAndTheServerThrottles() {
    FakeScheduler clock = new FakeScheduler();
    WindowServer budget = new WindowServer(clock, 1, 60_000);
    server.setDispatcher(budget);
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock).maxRetries(0)
        .rateLimits(RateLimits.off()).build();
    client.prompt().getPrompt("prm_1");
    RateLimitException e = assertThrows(RateLimitException.class, () -> client.prompt().getPrompt("prm_1"));
    assertTrue(e.sent());
    assertEquals(1, budget.throttled.get(), "without the limiter the call went and met the 429");
    assertFalse(client.rateLimitStatus().enabled());
    client.close();
  }

  @Test
  void aRequestsPerMinuteSettingPacesCallsBeforeTheFirstResponse() {
    FakeScheduler clock = new FakeScheduler();
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest request) {
        return LifecycleTest.ok(RetryTest.PROMPT); // no rate-limit headers: the setting rules
      }
    });
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock)
        .timeout(Duration.ofSeconds(90)).rateLimits(RateLimits.builder().requestsPerMinute(3).build()).build();
    for (int i = 0; i < 3; i++) {
      client.prompt().getPrompt("prm_1");
    }
    assertTrue(clock.waits.isEmpty());
    client.prompt().getPrompt("prm_1");
    assertEquals(1, clock.waits.size(), "the 4th waited for the minute");
    assertEquals(60, clock.waits.get(0).getSeconds(), 1);
    client.close();
  }

  @Test
  void aListenerThatThrowsFailsOnlyItsOwnCall() {
    FakeScheduler clock = new FakeScheduler();
    WindowServer budget = new WindowServer(clock, 1, 1000);
    server.setDispatcher(budget);
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock)
        .rateLimits(RateLimits.builder().listener(wait -> {
          throw new IllegalStateException("listener failed");
        }).build()).build();
    clock.advance(Duration.ofMillis(1000 - clock.now().toEpochMilli() % 1000 + 100)); // 100 ms into a window
    client.prompt().getPrompt("prm_1");
    MutagentException e = assertThrows(MutagentException.class, () -> client.prompt().getPrompt("prm_1"));
    assertTrue(e.getMessage().contains("listener") && e.getMessage().contains("not sent"), e.getMessage());
    assertEquals(1, budget.requests.get());
    clock.sleep(Duration.ofSeconds(1), new java.util.concurrent.CountDownLatch(1)); // the next window
    client.prompt().getPrompt("prm_1");
    assertEquals(2, budget.requests.get(), "the client goes on");
    client.close();
  }
}
