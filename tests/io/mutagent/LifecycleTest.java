package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mutagent.errors.MutagentApiException;
import io.mutagent.errors.MutagentException;
import io.mutagent.errors.MutagentIoException;
import io.mutagent.models.CreatePromptRequest;
import io.mutagent.models.PageInfo;
import io.mutagent.models.Prompt;
import io.mutagent.models.TraceInput;
import io.mutagent.models.UpdatePromptRequest;
import io.mutagent.ratelimit.RateLimits;
import io.mutagent.tracing.CloseResult;
import io.mutagent.tracing.DropReason;
import io.mutagent.tracing.FlushResult;
import io.mutagent.tracing.TraceBatcher;
import io.mutagent.tracing.TraceBatcherListener;
import io.mutagent.tracing.TraceBatcherOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lifecycle section of the reliability suite: every call ends. Each piece of user code the SDK
 * runs throws a {@code RuntimeException}, an {@code AssertionError} and a {@code StackOverflowError}
 * on both clients, and every call still ends; OkHttp never sends an attempt twice on its own;
 * {@code close()} and an interrupt end a call waiting between attempts or in flight at once; a
 * pooled connection the server closed while idle costs no retry. The class ends by writing one
 * line computed from the run to {@code target/lifecycle-summary.txt}, which {@code make test}
 * repeats. The milliseconds in it are reported, never asserted: the tests assert the mechanism
 * (a future completed, a sleeper woken, a request count). The trace batcher joins it: its
 * listener throwing anything ends only that call, an interrupt ends its close at once, and closing
 * the client ends a pending flush by the batcher's close timeout.
 */
class LifecycleTest {
  static final String KEY = "mt_lifecycle_test_key";
  static final String PROMPT = RetryTest.PROMPT;
  static final CreatePromptRequest CREATE = RetryTest.CREATE;
  /** Long enough that a call still waiting it out fails its test: the SDK waits up to 60 s. */
  static final String LONG_WAIT_SECONDS = "30";

  static final AtomicInteger hookRuns = new AtomicInteger();
  static final AtomicInteger pending = new AtomicInteger();
  static final AtomicInteger okHttpResends = new AtomicInteger();
  static final AtomicLong closeEndedMillis = new AtomicLong(-1);
  static final AtomicLong interruptEndedMillis = new AtomicLong(-1);
  static final AtomicLong limiterCloseEndedMillis = new AtomicLong(-1);
  static final AtomicLong limiterInterruptEndedMillis = new AtomicLong(-1);

  MockWebServer server;
  /** Runs the blocking calls of a test, so that a call that never ends is seen, not waited for. */
  ExecutorService callers;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
    callers = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "lifecycle-caller");
      thread.setDaemon(true);
      return thread;
    });
  }

  @AfterEach
  void stop() throws IOException {
    callers.shutdownNow();
    server.shutdown();
  }

  @AfterAll
  static void summary() throws IOException {
    String line = String.format("lifecycle: %d hooks and the trace batcher's listener x 3 throwables x 2 clients, "
        + "%d futures left pending; "
        + "OkHttp resends %d; close during a retry wait ended in %d ms; interrupt ended in %d ms; "
        + "a wait for the rate limiter ended by close in %d ms, by interrupt in %d ms",
        Hook.values().length, pending.get(), okHttpResends.get(), closeEndedMillis.get(), interruptEndedMillis.get(),
        limiterCloseEndedMillis.get(), limiterInterruptEndedMillis.get());
    System.out.println(line);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/lifecycle-summary.txt"), line + "\n", StandardCharsets.UTF_8);
  }

  String url() {
    return server.url("/").toString();
  }

  static MockResponse ok(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  static MockResponse status(int code) {
    return RetryTest.status(code);
  }

  /** A page of the prompt list: two prompts, and whether more pages follow. */
  static MockResponse page(int number, boolean hasMore) {
    return ok("{\"data\":[" + PROMPT + "," + PROMPT + "],\"pagination\":{\"page\":" + number
        + ",\"limit\":2,\"total\":4,\"hasMore\":" + hasMore + "}}");
  }

  // ---------------------------------------------------------------------------------------------
  // User code that throws
  // ---------------------------------------------------------------------------------------------

  /** The three kinds of throwable each hook throws. */
  static List<Supplier<Throwable>> throwables() {
    return List.of(() -> new IllegalStateException("thrown by user code"),
        () -> new AssertionError("thrown by user code"),
        () -> new StackOverflowError("thrown by user code"));
  }

  /** Every piece of user code the SDK runs. */
  enum Hook {
    /** The credential supplier, read before the first attempt. */
    CREDENTIAL_SUPPLIER,
    /** The credential supplier, read again before a retry (on the async client: not on the caller's thread). */
    CREDENTIAL_SUPPLIER_ON_A_RETRY,
    /** The action of an auto-pager's forEach. */
    FOR_EACH_ACTION,
    /** A callback attached to a future the SDK returned (the blocking client's: through async()). */
    FUTURE_CALLBACK,
    /** An interceptor of the application's OkHttpClient. */
    OKHTTP_INTERCEPTOR,
    /** An EventListener of the application's OkHttpClient. */
    OKHTTP_EVENT_LISTENER,
    /** The System.Logger the client logs to. */
    LOGGER,
    /** A prompt cache's fallback supplier, run when nothing is cached and the fetch failed. */
    PROMPT_CACHE_FALLBACK,
    /** The rate limiter's wait listener, told before a call waits for the window to reset. */
    RATE_LIMIT_LISTENER,
    /** The JobListener of a wait on a long-running job (waitForOptimization). */
    JOB_LISTENER,
    /** The same listener's onWaitEnd, called once the job completed (before the caller hears of it). */
    JOB_WAIT_END_LISTENER,
    /** A bulk upload's progress listener, told after each chunk. */
    BULK_PROGRESS_LISTENER
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Hook.class)
  void everyHookThrowingAnythingOnEitherClientLeavesNoCallPending(Hook hook) throws Exception {
    for (Supplier<Throwable> throwable : throwables()) {
      for (boolean async : new boolean[] {false, true}) {
        Throwable thrown = throwable.get();
        String where = hook + " throwing " + thrown.getClass().getSimpleName() + (async ? " (async)" : " (blocking)");
        hookRuns.incrementAndGet();
        Future<?> call = run(hook, thrown, async);
        Throwable failure;
        try {
          call.get(10, TimeUnit.SECONDS);
          failure = null;
        } catch (TimeoutException e) {
          pending.incrementAndGet();
          fail(where + ": the call did not end");
          return;
        } catch (ExecutionException e) {
          failure = e.getCause();
        }
        if (hook == Hook.LOGGER) {
          assertNull(failure, where + ": a logger's failure never fails the call");
        } else {
          assertTrue(failure != null && carries(failure, thrown), where + ": fails with what was thrown, not "
              + failure);
        }
      }
    }
  }

  /** Runs one call with the hook throwing; the future ends with the call, whatever it ended with. */
  Future<?> run(Hook hook, Throwable thrown, boolean async) {
    FakeScheduler clock = new FakeScheduler();
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      final AtomicInteger n = new AtomicInteger();

      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getPath().startsWith("/api/prompt?")) {
          return page(1, false);
        }
        if (request.getPath().startsWith("/api/optimization/")) {
          return ok(hook == Hook.JOB_WAIT_END_LISTENER ? JobWaitTest.job("completed", 0)
              : JobWaitTest.job("running", 1));
        }
        if (request.getPath().endsWith("/items/bulk")) {
          return ok("{\"createdCount\":2,\"items\":[]}");
        }
        if (hook == Hook.PROMPT_CACHE_FALLBACK) {
          return status(503);
        }
        if (hook == Hook.RATE_LIMIT_LISTENER) { // the window is spent until 2 s from now
          return ok(PROMPT).setHeader("X-RateLimit-Limit", "1").setHeader("X-RateLimit-Remaining", "0")
              .setHeader("X-RateLimit-Reset", String.valueOf(clock.now().getEpochSecond() + 2));
        }
        return hook == Hook.CREDENTIAL_SUPPLIER_ON_A_RETRY && n.getAndIncrement() == 0 ? status(503) : ok(PROMPT);
      }
    });
    AtomicInteger reads = new AtomicInteger();
    Supplier<String> supplier = () -> {
      if (hook == Hook.CREDENTIAL_SUPPLIER || (hook == Hook.CREDENTIAL_SUPPLIER_ON_A_RETRY && reads.incrementAndGet() > 1)) {
        throw sneaky(thrown);
      }
      return KEY;
    };
    OkHttpClient http = null;
    if (hook == Hook.OKHTTP_INTERCEPTOR || hook == Hook.OKHTTP_EVENT_LISTENER) {
      // The application's own dispatcher threads: OkHttp rethrows an interceptor's throwable on
      // them after failing the call, and these keep that quiet.
      ExecutorService quiet = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "app-okhttp");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> { });
        return thread;
      });
      OkHttpClient.Builder builder = new OkHttpClient.Builder().dispatcher(new Dispatcher(quiet));
      if (hook == Hook.OKHTTP_INTERCEPTOR) {
        builder.addInterceptor(chain -> {
          throw sneaky(thrown);
        });
      } else {
        builder.eventListener(new EventListener() {
          @Override
          public void callStart(Call call) {
            throw sneaky(thrown);
          }
        });
      }
      http = builder.build();
    }
    System.Logger logger = hook == Hook.LOGGER ? new CallbackLogger(message -> {
      throw sneaky(thrown);
    }) : System.getLogger("io.mutagent.test");
    LogLevel level = hook == Hook.LOGGER ? LogLevel.DEBUG : LogLevel.OFF;
    RateLimits limits = hook != Hook.RATE_LIMIT_LISTENER ? RateLimits.defaults()
        : RateLimits.builder().listener(wait -> {
          throw sneaky(thrown);
        }).build();
    io.mutagent.jobs.WaitOptions throwingListener = io.mutagent.jobs.WaitOptions.builder()
        .listener(new io.mutagent.jobs.JobListener() {
          @Override
          public void onStatusChange(io.mutagent.jobs.JobSnapshot job) {
            throw sneaky(thrown);
          }
        }).build();
    io.mutagent.jobs.WaitOptions throwingAtTheEnd = io.mutagent.jobs.WaitOptions.builder()
        .listener(new io.mutagent.jobs.JobListener() {
          @Override
          public void onWaitEnd(io.mutagent.jobs.JobSnapshot job, Throwable failure) {
            throw sneaky(thrown);
          }
        }).build();
    if (async) {
      AsyncMutagent client = TestClients.asyncMutagent().serverUrl(url()).apiKeySupplier(supplier).scheduler(clock)
          .httpClient(http).logger(logger).logLevel(level).maxRetries(1).rateLimits(limits).build();
      if (hook == Hook.RATE_LIMIT_LISTENER) {
        client.prompt().getPrompt("prm_1").join(); // spends the window: the next call waits
      }
      CompletableFuture<?> future;
      switch (hook) {
        case FOR_EACH_ACTION:
          future = client.prompt().listPromptsAutoPaging().forEach(prompt -> {
            throw sneaky(thrown);
          });
          break;
        case FUTURE_CALLBACK:
          future = client.prompt().getPrompt("prm_1").thenApply(prompt -> {
            throw sneaky(thrown);
          });
          break;
        case PROMPT_CACHE_FALLBACK:
          future = client.promptCache().get("prm_1", () -> {
            throw sneaky(thrown);
          });
          break;
        case JOB_LISTENER:
          future = client.optimization().waitForOptimization("opt_1", throwingListener);
          break;
        case JOB_WAIT_END_LISTENER:
          future = client.optimization().waitForOptimization("opt_1", throwingAtTheEnd);
          break;
        case BULK_PROGRESS_LISTENER:
          future = client.promptDatasetItems().bulkAddDatasetItemsInChunks("ds_1", bulkItems(), bulkListener(thrown));
          break;
        default:
          future = client.prompt().getPrompt("prm_1");
      }
      return future.whenComplete((value, failure) -> client.close());
    }
    Mutagent client = TestClients.mutagent().serverUrl(url()).apiKeySupplier(supplier).scheduler(clock)
        .httpClient(http).logger(logger).logLevel(level).maxRetries(1).rateLimits(limits).build();
    if (hook == Hook.RATE_LIMIT_LISTENER) {
      client.prompt().getPrompt("prm_1"); // spends the window: the next call waits
    }
    if (hook == Hook.FUTURE_CALLBACK) {
      return client.async().prompt().getPrompt("prm_1").thenApply(prompt -> {
        throw sneaky(thrown);
      }).whenComplete((value, failure) -> client.close());
    }
    return callers.submit(() -> {
      try (Mutagent closing = client) {
        if (hook == Hook.FOR_EACH_ACTION) {
          closing.prompt().listPromptsAutoPaging().forEach(prompt -> {
            throw sneaky(thrown);
          });
        } else if (hook == Hook.PROMPT_CACHE_FALLBACK) {
          closing.promptCache().get("prm_1", () -> {
            throw sneaky(thrown);
          });
        } else if (hook == Hook.JOB_LISTENER) {
          closing.optimization().waitForOptimization("opt_1", throwingListener);
        } else if (hook == Hook.JOB_WAIT_END_LISTENER) {
          closing.optimization().waitForOptimization("opt_1", throwingAtTheEnd);
        } else if (hook == Hook.BULK_PROGRESS_LISTENER) {
          closing.promptDatasetItems().bulkAddDatasetItemsInChunks("ds_1", bulkItems(), bulkListener(thrown));
        } else {
          closing.prompt().getPrompt("prm_1");
        }
      }
      return null;
    });
  }

  /** Four dataset items, sent in two chunks of two. */
  static List<io.mutagent.models.CreateDatasetItemRequest> bulkItems() {
    List<io.mutagent.models.CreateDatasetItemRequest> items = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      items.add(io.mutagent.models.CreateDatasetItemRequest.builder().input(java.util.Map.of("n", "" + i)).build());
    }
    return items;
  }

  /** Bulk options whose listener throws after the first chunk. */
  static io.mutagent.bulk.BulkOptions bulkListener(Throwable thrown) {
    return io.mutagent.bulk.BulkOptions.builder().chunkSize(2).listener(progress -> {
      throw sneaky(thrown);
    }).build();
  }

  /** Returns whether {@code thrown} is the failure, or among its causes or suppressed exceptions. */
  static boolean carries(Throwable failure, Throwable thrown) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t == thrown) {
        return true;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (carries(suppressed, thrown)) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Throws any throwable from code that declares none (an interceptor, a supplier, a consumer). */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneaky(Throwable thrown) throws E {
    throw (E) thrown;
  }

  /** A logger that takes every level and hands each message to {@code onLog} (which may throw). */
  static final class CallbackLogger implements System.Logger {
    private final java.util.function.Consumer<String> onLog;

    CallbackLogger(java.util.function.Consumer<String> onLog) {
      this.onLog = onLog;
    }

    @Override
    public String getName() {
      return "callback";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
      onLog.accept(message);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      onLog.accept(format);
    }
  }

  @Test
  void walkingManyPagesThatAreAlreadyCompleteIsALoopNotRecursion() throws Exception {
    int pages = 100_000;
    AtomicInteger seen = new AtomicInteger();
    AsyncAutoPager<Integer> pager = AsyncAutoPager.of(() -> CompletableFuture.completedFuture(completePage(1, pages)));
    pager.forEach(item -> seen.incrementAndGet()).get(30, TimeUnit.SECONDS);
    assertEquals(pages, seen.get(), "every page walked, none overflowing the stack");
  }

  static AsyncPage<Integer> completePage(int number, int last) {
    PageInfo info = PageInfo.builder().page(number).limit(1).total(last).hasMore(number < last).build();
    return AsyncPage.of(List.of(number), info, number, n -> CompletableFuture.completedFuture(completePage(n, last)));
  }

  // ---------------------------------------------------------------------------------------------
  // No user code on a JVM-shared thread
  // ---------------------------------------------------------------------------------------------

  @Test
  void anAsyncRetryStartsOnTheSdksOwnThreadAndItsFutureCompletesThere() throws Exception {
    server.enqueue(status(503).setHeader("Retry-After-Ms", "50"));
    server.enqueue(ok(PROMPT));
    List<String> supplierThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicReference<String> completedOn = new AtomicReference<>();
    try (AsyncMutagent client = TestClients.asyncMutagent().serverUrl(url()).apiKeySupplier(() -> {
      supplierThreads.add(Thread.currentThread().getName());
      return KEY;
    }).build()) {
      String prefix = client.core().transport.resources.threadNamePrefix();
      CompletableFuture<Prompt> call = client.prompt().getPrompt("prm_1");
      CompletableFuture<Prompt> seen = call.whenComplete((value, failure) -> completedOn.set(Thread.currentThread().getName()));
      seen.get(10, TimeUnit.SECONDS);
      assertEquals(2, supplierThreads.size());
      assertEquals(Thread.currentThread().getName(), supplierThreads.get(0), "the first attempt starts on the caller's thread");
      assertTrue(supplierThreads.get(1).startsWith(prefix), "the retry starts on a dispatcher thread of the SDK's, "
          + "not the JDK's delay thread: " + supplierThreads.get(1));
      assertTrue(onDispatcherThread(completedOn.get(), prefix), "the future completes on a dispatcher thread: "
          + completedOn.get());
    }
  }

  /**
   * Returns whether a thread name is one of the SDK's dispatcher threads: named with its prefix,
   * or, while OkHttp runs a call on it, {@code OkHttp <url>} (OkHttp names it back afterwards).
   */
  static boolean onDispatcherThread(String name, String prefix) {
    return name.startsWith(prefix) || name.startsWith("OkHttp http://");
  }

  @Test
  void aQueuedCallsTimeoutCompletesItsFutureOnTheSdksOwnThreadNotTheCommonPool() throws Exception {
    int running = io.mutagent.internal.http.Resources.MAX_CONCURRENT;
    for (int i = 0; i < running; i++) {
      server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    }
    AtomicReference<String> completedOn = new AtomicReference<>();
    try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).build()) {
      String prefix = client.core().transport.resources.threadNamePrefix();
      for (int i = 0; i < running; i++) {
        client.prompt().getPrompt("prm_1");
      }
      for (int i = 0; i < running; i++) {
        assertTrue(server.takeRequest(10, TimeUnit.SECONDS) != null);
      }
      CompletableFuture<Prompt> queued = client.prompt().getPrompt("prm_1",
          RequestOptions.builder().timeout(java.time.Duration.ofMillis(200)).build());
      CompletableFuture<Prompt> seen = queued.whenComplete((value, failure) -> completedOn.set(Thread.currentThread().getName()));
      ExecutionException e = assertThrows(ExecutionException.class, () -> seen.get(10, TimeUnit.SECONDS));
      assertInstanceOf(io.mutagent.errors.MutagentTimeoutException.class, e.getCause());
      assertTrue(onDispatcherThread(completedOn.get(), prefix), "failed at its deadline on a dispatcher thread of "
          + "the SDK's, not the common pool: " + completedOn.get());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // OkHttp sends each attempt once
  // ---------------------------------------------------------------------------------------------

  // The API has no PUT; GET and DELETE stand for the idempotent methods, POST and PATCH for writes.
  @ParameterizedTest(name = "{0}, maxRetries {1}, {2}")
  @CsvSource({
      "GET, 0, blocking", "GET, 2, blocking", "GET, 0, async", "GET, 2, async",
      "DELETE, 0, blocking", "DELETE, 2, blocking", "DELETE, 0, async", "DELETE, 2, async",
      "POST, 0, blocking", "POST, 2, blocking", "POST, 0, async", "POST, 2, async",
      "PATCH, 0, blocking", "PATCH, 2, blocking", "PATCH, 0, async", "PATCH, 2, async"})
  void a503WithRetryAfterZeroReachesTheServerOncePerAttemptTheSdkCounts(String method, int maxRetries, String kind)
      throws Exception {
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return status(503).setHeader("Retry-After", "0");
      }
    });
    FakeScheduler clock = new FakeScheduler();
    Throwable failure;
    if (kind.equals("async")) {
      try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).scheduler(clock)
          .maxRetries(maxRetries).build()) {
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> asyncCall(client, method).get(10, TimeUnit.SECONDS));
        failure = e.getCause();
      }
    } else {
      try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock)
          .maxRetries(maxRetries).build()) {
        failure = assertThrows(MutagentApiException.class, () -> RetryTest.call(client, method));
      }
    }
    assertEquals(503, assertInstanceOf(MutagentApiException.class, failure).statusCode());
    int attempts = maxRetries + 1; // 503 with a Retry-After is retried for every method
    int seen = server.getRequestCount();
    okHttpResends.addAndGet(Math.max(0, seen - attempts));
    assertEquals(attempts, seen, "each attempt the SDK made reached the server once, and no other");
    for (int i = 0; i < attempts; i++) {
      RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
      assertEquals(i == 0 ? null : Integer.toString(i), request.getHeader("X-Mutagent-Retry-Count"));
    }
  }

  static CompletableFuture<?> asyncCall(AsyncMutagent client, String method) {
    switch (method) {
      case "GET": return client.prompt().getPrompt("prm_1");
      case "POST": return client.prompt().createPrompt(CREATE);
      case "PATCH": return client.prompt().updatePrompt("prm_1", UpdatePromptRequest.builder().name("x").build());
      case "DELETE": return client.prompt().deletePrompt("prm_1");
      default: throw new AssertionError(method);
    }
  }

  @Test
  void aGzippedAnswerOkHttpWouldHaveResentAfterIsReadAsIfOkHttpHadDecodedIt() throws Exception {
    okio.Buffer gzipped = new okio.Buffer();
    try (okio.BufferedSink sink = okio.Okio.buffer(new okio.GzipSink(gzipped))) {
      sink.writeUtf8("{\"error\":\"unavailable\",\"message\":\"down for a moment\"}");
    }
    server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "0")
        .setHeader("Content-Type", "application/json").setHeader("Content-Encoding", "gzip").setBody(gzipped));
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).maxRetries(0).build()) {
      MutagentApiException e = assertThrows(MutagentApiException.class, () -> client.prompt().getPrompt("prm_1"));
      assertTrue(e.getMessage().contains("down for a moment"), e.getMessage());
    }
    assertEquals(1, server.getRequestCount());
  }

  // ---------------------------------------------------------------------------------------------
  // close() and interrupts end a call at once
  // ---------------------------------------------------------------------------------------------

  /** A logger that counts down when the SDK logs a retry: the call is then waiting. */
  static final class RetryWatcher {
    final CountDownLatch retrying = new CountDownLatch(1);
    final System.Logger logger = new CallbackLogger(message -> {
      if (message.startsWith("retrying")) {
        retrying.countDown();
      }
    });
  }

  MockResponse unavailableForLong() {
    return status(503).setHeader("Retry-After", LONG_WAIT_SECONDS);
  }

  @Test
  void closeEndsABlockingCallWaitingBetweenAttemptsAtOnce() throws Exception {
    server.enqueue(unavailableForLong());
    RetryWatcher watcher = new RetryWatcher();
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).logger(watcher.logger)
        .logLevel(LogLevel.INFO).build();
    Future<?> call = callers.submit(() -> client.prompt().getPrompt("prm_1"));
    assertTrue(watcher.retrying.await(10, TimeUnit.SECONDS), "the call waits to retry");
    long closedAt = System.nanoTime();
    client.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS),
        "the sleeping call was woken, not left to wait " + LONG_WAIT_SECONDS + " s");
    noteMillis(closeEndedMillis, closedAt);
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    assertEquals(1, server.getRequestCount(), "no attempt after close");
  }

  @Test
  void closeEndsAnAsyncCallWaitingBetweenAttemptsAtOnce() throws Exception {
    server.enqueue(unavailableForLong());
    RetryWatcher watcher = new RetryWatcher();
    AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).logger(watcher.logger)
        .logLevel(LogLevel.INFO).build();
    CompletableFuture<Prompt> call = client.prompt().getPrompt("prm_1");
    assertTrue(watcher.retrying.await(10, TimeUnit.SECONDS), "the call waits to retry");
    String timer = client.core().transport.resources.retryThreadName();
    long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ClientTransportTest.sdkThreads(timer) == 0 && System.nanoTime() < started) {
      Thread.sleep(10); // the log line comes just before the wait is put on the timer
    }
    assertEquals(1, ClientTransportTest.sdkThreads(timer), "the wait is kept by the client's timer thread");
    long closedAt = System.nanoTime();
    client.close();
    assertTrue(call.isDone(), "close() failed the waiting call's future before it returned");
    noteMillis(closeEndedMillis, closedAt);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ClientTransportTest.sdkThreads(timer) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, ClientTransportTest.sdkThreads(timer), "close() ended the timer thread");
    ExecutionException e = assertThrows(ExecutionException.class, call::get);
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(1, server.getRequestCount(), "no attempt after close");
  }

  @Test
  void closingACopyEndsItsWaitingCallsAndLeavesTheOriginalWorking() throws Exception {
    server.enqueue(unavailableForLong());
    server.enqueue(ok(PROMPT));
    RetryWatcher watcher = new RetryWatcher();
    try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).logger(watcher.logger)
        .logLevel(LogLevel.INFO).build()) {
      AsyncMutagent copy = client.withOptions(b -> b.maxRetries(1));
      CompletableFuture<Prompt> call = copy.prompt().getPrompt("prm_1");
      assertTrue(watcher.retrying.await(10, TimeUnit.SECONDS));
      copy.close();
      assertTrue(call.isCompletedExceptionally(), "the copy's waiting call ended with it");
      assertEquals("prm_7Hq2mXk9", client.prompt().getPrompt("prm_1").get(10, TimeUnit.SECONDS).id());
    }
  }

  @Test
  void aCopyClosedJustBeforeItsRequestGoesOutNeverSendsIt() throws Exception {
    for (boolean async : new boolean[] {false, true}) {
      AtomicReference<AutoCloseable> copy = new AtomicReference<>();
      // The supplier runs after the call checked that its client is open, just before the request
      // is handed to OkHttp: closing the copy there is the narrowest window there is.
      Supplier<String> closingSupplier = () -> {
        try {
          copy.get().close();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        return KEY;
      };
      if (async) {
        try (AsyncMutagent client = TestClients.asyncMutagent().serverUrl(url()).build()) {
          AsyncMutagent made = client.withOptions(b -> b.apiKeySupplier(closingSupplier));
          copy.set(made);
          ExecutionException e = assertThrows(ExecutionException.class,
              () -> made.prompt().getPrompt("prm_1").get(10, TimeUnit.SECONDS));
          assertInstanceOf(IllegalStateException.class, e.getCause());
        }
      } else {
        try (Mutagent client = TestClients.mutagent().serverUrl(url()).build()) {
          Mutagent made = client.withOptions(b -> b.apiKeySupplier(closingSupplier));
          copy.set(made);
          assertThrows(IllegalStateException.class, () -> made.prompt().getPrompt("prm_1"));
        }
      }
      assertEquals(0, server.getRequestCount(), "nothing was sent by a closed copy (" + (async ? "async" : "blocking") + ")");
    }
  }

  /** Answers with a window of 1 that is spent for the next 30 s. */
  static MockResponse spendsTheWindow() {
    return ok(PROMPT).setHeader("X-RateLimit-Limit", "1").setHeader("X-RateLimit-Remaining", "0")
        .setHeader("X-RateLimit-Reset", String.valueOf(java.time.Instant.now().getEpochSecond() + 30));
  }

  @ParameterizedTest(name = "async={0}")
  @CsvSource({"false", "true"})
  void closeEndsACallWaitingForTheRateLimiterAtOnceWithNothingSent(boolean async) throws Exception {
    server.enqueue(spendsTheWindow());
    CountDownLatch waiting = new CountDownLatch(1);
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url())
        .rateLimits(RateLimits.builder().listener(wait -> waiting.countDown()).build()).build();
    client.prompt().getPrompt("prm_1");
    Future<?> call = async ? client.async().prompt().getPrompt("prm_1")
        : callers.submit(() -> client.prompt().getPrompt("prm_1"));
    assertTrue(waiting.await(10, TimeUnit.SECONDS), "the call waits for the window to reset");
    long closedAt = System.nanoTime();
    client.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS),
        "the waiting call was ended, not left to wait 30 s");
    noteMillis(limiterCloseEndedMillis, closedAt);
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(1, server.getRequestCount(), "nothing was sent after close");
  }

  @Test
  void anInterruptEndsACallWaitingForTheRateLimiterWithNothingSent() throws Exception {
    server.enqueue(spendsTheWindow());
    CountDownLatch waiting = new CountDownLatch(1);
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url())
        .rateLimits(RateLimits.builder().listener(wait -> waiting.countDown()).build()).build()) {
      client.prompt().getPrompt("prm_1");
      AtomicReference<Thread> caller = new AtomicReference<>();
      AtomicReference<Boolean> flagAfter = new AtomicReference<>();
      Future<?> call = callers.submit(() -> {
        caller.set(Thread.currentThread());
        try {
          return client.prompt().getPrompt("prm_1");
        } finally {
          flagAfter.set(Thread.currentThread().isInterrupted());
        }
      });
      assertTrue(waiting.await(10, TimeUnit.SECONDS), "the call waits for the window to reset");
      long interruptedAt = System.nanoTime();
      caller.get().interrupt();
      ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
      noteMillis(limiterInterruptEndedMillis, interruptedAt);
      MutagentIoException io = assertInstanceOf(MutagentIoException.class, e.getCause());
      assertInstanceOf(InterruptedIOException.class, io.getCause());
      assertTrue(io.getMessage().contains("nothing was sent"), io.getMessage());
      assertEquals(Boolean.TRUE, flagAfter.get(), "the thread's interrupt flag is still set");
      assertEquals(1, server.getRequestCount());
    }
  }

  @Test
  void cancellingAnAsyncCallWaitingForTheRateLimiterSendsNothingAndFreesTheWait() throws Exception {
    server.enqueue(spendsTheWindow());
    CountDownLatch waiting = new CountDownLatch(1);
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url())
        .rateLimits(RateLimits.builder().listener(wait -> waiting.countDown()).build()).build()) {
      client.prompt().getPrompt("prm_1");
      CompletableFuture<Prompt> call = client.async().prompt().getPrompt("prm_1");
      assertTrue(waiting.await(10, TimeUnit.SECONDS));
      assertEquals(1, client.rateLimitStatus().waiting(), "one call waits");
      call.cancel(false);
      assertEquals(0, client.rateLimitStatus().waiting(), "the cancelled call no longer waits");
      assertEquals(1, server.getRequestCount());
    }
  }

  @Test
  void anInterruptEndsABlockingCallInFlightAtOnceAndKeepsTheFlag() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)); // reads it, never answers
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).build()) {
      AtomicReference<Thread> caller = new AtomicReference<>();
      AtomicReference<Boolean> flagAfter = new AtomicReference<>();
      Future<?> call = callers.submit(() -> {
        caller.set(Thread.currentThread());
        try {
          return client.prompt().getPrompt("prm_1");
        } finally {
          flagAfter.set(Thread.currentThread().isInterrupted());
        }
      });
      assertTrue(server.takeRequest(10, TimeUnit.SECONDS) != null, "the request is in flight");
      long interruptedAt = System.nanoTime();
      caller.get().interrupt();
      ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS),
          "the interrupt ended the call; it did not wait for the answer");
      noteMillis(interruptEndedMillis, interruptedAt);
      MutagentIoException io = assertInstanceOf(MutagentIoException.class, e.getCause());
      assertInstanceOf(InterruptedIOException.class, io.getCause());
      assertTrue(io.getMessage().contains("interrupted"), io.getMessage());
      assertEquals(Boolean.TRUE, flagAfter.get(), "the thread's interrupt flag is still set");
    }
  }

  @Test
  void anInterruptDuringARetryWaitEndsTheCallAsInterruptedNotWithTheLastError() throws Exception {
    server.enqueue(unavailableForLong());
    RetryWatcher watcher = new RetryWatcher();
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).logger(watcher.logger)
        .logLevel(LogLevel.INFO).build()) {
      AtomicReference<Thread> caller = new AtomicReference<>();
      AtomicReference<Boolean> flagAfter = new AtomicReference<>();
      Future<?> call = callers.submit(() -> {
        caller.set(Thread.currentThread());
        try {
          return client.prompt().getPrompt("prm_1");
        } finally {
          flagAfter.set(Thread.currentThread().isInterrupted());
        }
      });
      assertTrue(watcher.retrying.await(10, TimeUnit.SECONDS), "the call waits to retry");
      long interruptedAt = System.nanoTime();
      caller.get().interrupt();
      ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
      noteMillis(interruptEndedMillis, interruptedAt);
      MutagentIoException io = assertInstanceOf(MutagentIoException.class, e.getCause());
      assertInstanceOf(InterruptedIOException.class, io.getCause());
      assertEquals(Boolean.TRUE, flagAfter.get(), "the thread's interrupt flag is still set");
      assertEquals(1, server.getRequestCount());
    }
  }

  @Test
  void aThreadInterruptedBeforeTheCallSendsNothing() throws Exception {
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).build()) {
      Thread.currentThread().interrupt();
      try {
        MutagentIoException e = assertThrows(MutagentIoException.class, () -> client.prompt().getPrompt("prm_1"));
        assertTrue(e.getMessage().contains("nothing was sent"), e.getMessage());
        assertTrue(Thread.currentThread().isInterrupted());
      } finally {
        Thread.interrupted();
      }
    }
    assertEquals(0, server.getRequestCount());
  }

  // ---------------------------------------------------------------------------------------------
  // close() and interrupts end a wait on a long-running job at once
  // ---------------------------------------------------------------------------------------------

  /** Polls every 30 s (the test fails if it waits that out) and counts down once the job was read. */
  static final class JobWatcher {
    final CountDownLatch read = new CountDownLatch(1);
    final io.mutagent.jobs.WaitOptions options = io.mutagent.jobs.WaitOptions.builder()
        .firstInterval(java.time.Duration.ofSeconds(Long.parseLong(LONG_WAIT_SECONDS)))
        .maxInterval(java.time.Duration.ofSeconds(Long.parseLong(LONG_WAIT_SECONDS))).jitter(0)
        .listener(new io.mutagent.jobs.JobListener() {
          @Override
          public void onUpdate(io.mutagent.jobs.JobSnapshot job) {
            read.countDown();
          }
        }).build();
  }

  void answerRunningJobs() {
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return ok(JobWaitTest.job("running", 0));
      }
    });
  }

  @Test
  void closeEndsABlockingJobWaitAtOnceAndSendsNothingMore() throws Exception {
    answerRunningJobs();
    JobWatcher watcher = new JobWatcher();
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).build();
    Future<?> wait = callers.submit(() -> client.optimization().waitForOptimization("opt_1", watcher.options));
    assertTrue(watcher.read.await(10, TimeUnit.SECONDS), "the job was read; the wait sleeps");
    long closedAt = System.nanoTime();
    client.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> wait.get(10, TimeUnit.SECONDS),
        "the sleeping wait was woken, not left to sleep " + LONG_WAIT_SECONDS + " s");
    noteMillis(closeEndedMillis, closedAt);
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("closed while waiting on optimization opt_1"), e.getCause().getMessage());
    assertEquals(1, server.getRequestCount(), "no poll after close");
  }

  @Test
  void closeEndsAnAsyncJobWaitAtOnceAndSendsNothingMore() throws Exception {
    answerRunningJobs();
    JobWatcher watcher = new JobWatcher();
    AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).build();
    CompletableFuture<?> wait = client.optimization().waitForOptimization("opt_1", watcher.options);
    assertTrue(watcher.read.await(10, TimeUnit.SECONDS), "the job was read; the next poll waits on the timer");
    long closedAt = System.nanoTime();
    client.close();
    assertTrue(wait.isDone(), "close() failed the wait's future before it returned");
    noteMillis(closeEndedMillis, closedAt);
    ExecutionException e = assertThrows(ExecutionException.class, wait::get);
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(1, server.getRequestCount(), "no poll after close");
  }

  @Test
  void closingACopyEndsItsJobWaitsAndLeavesTheOriginalsGoing() throws Exception {
    answerRunningJobs();
    JobWatcher watcher = new JobWatcher();
    try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).build()) {
      AsyncMutagent copy = client.withOptions(b -> b.maxRetries(1));
      JobWatcher other = new JobWatcher();
      CompletableFuture<?> original = client.optimization().waitForOptimization("opt_1", other.options);
      CompletableFuture<?> copied = copy.optimization().waitForOptimization("opt_1", watcher.options);
      assertTrue(watcher.read.await(10, TimeUnit.SECONDS) && other.read.await(10, TimeUnit.SECONDS));
      copy.close();
      assertTrue(copied.isCompletedExceptionally(), "the copy's wait ended with it");
      assertFalse(original.isDone(), "the original client's wait goes on");
    }
  }

  @Test
  void anInterruptEndsABlockingJobWaitAtOnceAndKeepsTheFlag() throws Exception {
    answerRunningJobs();
    JobWatcher watcher = new JobWatcher();
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).build()) {
      AtomicReference<Thread> caller = new AtomicReference<>();
      AtomicReference<Boolean> flagAfter = new AtomicReference<>();
      Future<?> wait = callers.submit(() -> {
        caller.set(Thread.currentThread());
        try {
          return client.optimization().waitForOptimization("opt_1", watcher.options);
        } finally {
          flagAfter.set(Thread.currentThread().isInterrupted());
        }
      });
      assertTrue(watcher.read.await(10, TimeUnit.SECONDS));
      long interruptedAt = System.nanoTime();
      caller.get().interrupt();
      ExecutionException e = assertThrows(ExecutionException.class, () -> wait.get(10, TimeUnit.SECONDS));
      noteMillis(interruptEndedMillis, interruptedAt);
      MutagentIoException io = assertInstanceOf(MutagentIoException.class, e.getCause());
      assertInstanceOf(InterruptedIOException.class, io.getCause());
      assertTrue(io.getMessage().contains("the job goes on on the server"), io.getMessage());
      assertEquals(Boolean.TRUE, flagAfter.get(), "the thread's interrupt flag is still set");
      assertEquals(1, server.getRequestCount(), "no poll after the interrupt");
    }
  }

  @Test
  void anAsyncJobWaitsListenerRunsOnTheSdksOwnThreadsNotAJvmSharedOne() throws Exception {
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      final AtomicInteger n = new AtomicInteger();

      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return ok(JobWaitTest.job(n.getAndIncrement() < 2 ? "running" : "completed", 0));
      }
    });
    List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.mutagent.jobs.WaitOptions options = io.mutagent.jobs.WaitOptions.builder()
        .firstInterval(java.time.Duration.ofMillis(1)).maxInterval(java.time.Duration.ofMillis(1))
        .listener(new io.mutagent.jobs.JobListener() {
          @Override
          public void onUpdate(io.mutagent.jobs.JobSnapshot job) {
            threads.add(Thread.currentThread().getName());
          }
        }).build();
    try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).build()) {
      String prefix = client.core().transport.resources.threadNamePrefix();
      client.optimization().waitForOptimization("opt_1", options).get(10, TimeUnit.SECONDS);
      assertEquals(3, threads.size());
      for (String name : threads) {
        assertTrue(onDispatcherThread(name, prefix), "the listener ran on " + name);
      }
    }
  }

  /**
   * Answers a start call and the first status read with a running job, then holds every later
   * request without an answer (the call stays in flight); counts down {@code held} for each held one.
   */
  static final class HoldingServer extends okhttp3.mockwebserver.Dispatcher {
    final CountDownLatch held = new CountDownLatch(1);
    final int answered;
    final AtomicInteger seen = new AtomicInteger();

    HoldingServer(int answered) {
      this.answered = answered;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (seen.getAndIncrement() < answered) {
        return ok(JobWaitTest.job("running", 0));
      }
      held.countDown();
      return new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
    }
  }

  static io.mutagent.jobs.WaitOptions pollAtOnce() {
    return io.mutagent.jobs.WaitOptions.builder().firstInterval(java.time.Duration.ofMillis(1))
        .maxInterval(java.time.Duration.ofMillis(1)).jitter(0).build();
  }

  /** Asserts that a wait ended by close() failed with the closed error, not a CancellationException. */
  static IllegalStateException closedNotCancelled(CompletableFuture<?> wait) {
    assertTrue(wait.isDone(), "close() ended the wait before it returned");
    assertFalse(wait.isCancelled(), "the caller did not cancel: the wait must not look cancelled");
    ExecutionException e = assertThrows(ExecutionException.class, wait::get);
    return assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void closeDuringAnAsyncJobWaitsPollFailsItWithTheClosedErrorNotACancellation() throws Exception {
    HoldingServer holding = new HoldingServer(1);
    server.setDispatcher(holding);
    AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).build();
    CompletableFuture<?> wait = client.optimization().waitForOptimization("opt_1", pollAtOnce());
    assertTrue(holding.held.await(10, TimeUnit.SECONDS), "the second poll is in flight");
    client.close();
    IllegalStateException closed = closedNotCancelled(wait);
    assertTrue(closed.getMessage().contains("closed while waiting on optimization opt_1"), closed.getMessage());
  }

  @Test
  void closingACopyDuringAnAsyncJobWaitsPollFailsItWithTheClosedErrorNotACancellation() throws Exception {
    HoldingServer holding = new HoldingServer(1);
    server.setDispatcher(holding);
    try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).build()) {
      AsyncMutagent copy = client.withOptions(b -> b.maxRetries(1));
      CompletableFuture<?> wait = copy.optimization().waitForOptimization("opt_1", pollAtOnce());
      assertTrue(holding.held.await(10, TimeUnit.SECONDS), "the second poll is in flight");
      copy.close();
      IllegalStateException closed = closedNotCancelled(wait);
      assertTrue(closed.getMessage().contains("closed while waiting on optimization opt_1"), closed.getMessage());
    }
  }

  /**
   * A close while the start call is in flight: its request may have reached the server, so the
   * job may have started under an id the wait never learned. The wait fails with the closed
   * error, which says so (never a CancellationException), on both clients.
   */
  @ParameterizedTest(name = "async {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void closeDuringAJobWaitsStartCallSaysTheJobMayHaveStarted(boolean onAsync) throws Exception {
    HoldingServer holding = new HoldingServer(0);
    server.setDispatcher(holding);
    IllegalStateException closed;
    if (onAsync) {
      AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).build();
      CompletableFuture<?> wait = client.optimization().startOptimizationAndWait("prm_1", JobWaitTest.START,
          pollAtOnce());
      assertTrue(holding.held.await(10, TimeUnit.SECONDS), "the start call is in flight");
      client.close();
      closed = closedNotCancelled(wait);
    } else {
      Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).build();
      Future<?> wait = callers.submit(() -> client.optimization().startOptimizationAndWait("prm_1",
          JobWaitTest.START, pollAtOnce()));
      assertTrue(holding.held.await(10, TimeUnit.SECONDS), "the start call is in flight");
      client.close();
      ExecutionException e = assertThrows(ExecutionException.class, () -> wait.get(10, TimeUnit.SECONDS));
      closed = assertInstanceOf(IllegalStateException.class, e.getCause());
    }
    assertTrue(closed.getMessage().contains("closed while starting optimization")
        && closed.getMessage().contains("may have started"), closed.getMessage());
    assertEquals(1, server.getRequestCount(), "nothing sent after the start call");
  }

  static void noteMillis(AtomicLong slot, long startNanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    slot.accumulateAndGet(millis, Math::max);
  }

  // ---------------------------------------------------------------------------------------------
  // A stale pooled connection is not a failure
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"GET, blocking", "GET, async", "POST, blocking", "POST, async"})
  void aPooledConnectionTheServerClosedWhileIdleCostsNoRetryAndNoBackoff(String method, String kind) throws Exception {
    // The server answers and closes the connection, as one does once a kept-alive connection was
    // idle too long; the client still holds it in its pool.
    server.enqueue(ok(PROMPT).setSocketPolicy(SocketPolicy.DISCONNECT_AT_END));
    server.enqueue(ok(PROMPT));
    FakeScheduler clock = new FakeScheduler();
    if (kind.equals("async")) {
      try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).scheduler(clock)
          .maxRetries(0).build()) {
        client.prompt().getPrompt("prm_1").get(10, TimeUnit.SECONDS);
        Thread.sleep(100); // let the close reach the client's socket
        asyncCall(client, method).get(10, TimeUnit.SECONDS);
      }
    } else {
      try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock)
          .maxRetries(0).build()) {
        client.prompt().getPrompt("prm_1");
        Thread.sleep(100);
        RetryTest.call(client, method);
      }
    }
    assertEquals(List.of(), clock.waits, "no backoff was scheduled");
    assertEquals(2, server.getRequestCount(), "the second call reached the server once");
    server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertEquals(method, second.getMethod());
    assertNull(second.getHeader("X-Mutagent-Retry-Count"), "not counted as a retry");
  }

  @Test
  void aSupplierThatThrowsOrReturnsNothingFailsTheCallTheSameWayNamingIt() {
    List<Supplier<String>> suppliers = new ArrayList<>();
    suppliers.add(() -> {
      throw new IllegalStateException("vault unreachable");
    });
    suppliers.add(() -> null);
    suppliers.add(() -> "  ");
    for (Supplier<String> supplier : suppliers) {
      try (Mutagent client = TestClients.mutagent().serverUrl(url()).bearerTokenSupplier(supplier).build()) {
        MutagentException e = assertThrows(MutagentException.class, () -> client.prompt().getPrompt("prm_1"));
        assertTrue(e.getMessage().startsWith("the bearerTokenSupplier "), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was sent"), e.getMessage());
        assertEquals(MutagentException.class, e.getClass(), "the same exception whatever the supplier did");
      }
    }
    assertEquals(0, server.getRequestCount());
  }

  // ---------------------------------------------------------------------------------------------
  // Prompt cache: reads waiting on a fetch, background refreshes
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource({"blocking", "async"})
  void closingTheClientEndsAPromptCacheReadWaitingOnAFetchAtOnce(String kind) throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)); // reads it, never answers
    Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).build();
    Future<?> read = kind.equals("async")
        ? client.async().promptCache().get("prm_1")
        : callers.submit(() -> client.promptCache().get("prm_1"));
    assertTrue(server.takeRequest(10, TimeUnit.SECONDS) != null, "the fetch is in flight");
    client.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(10, TimeUnit.SECONDS),
        "close ended the read; it did not wait for the answer");
    assertTrue(carriesA(e.getCause(), IllegalStateException.class), String.valueOf(e.getCause()));
  }

  @Test
  void anInterruptEndsABlockingPromptCacheReadAtOnceAndKeepsTheFlag() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).build()) {
      io.mutagent.prompts.PromptCache cache = client.promptCache();
      AtomicReference<Thread> caller = new AtomicReference<>();
      AtomicReference<Boolean> flagAfter = new AtomicReference<>();
      Future<?> read = callers.submit(() -> {
        caller.set(Thread.currentThread());
        try {
          return cache.get("prm_1");
        } finally {
          flagAfter.set(Thread.currentThread().isInterrupted());
        }
      });
      assertTrue(server.takeRequest(10, TimeUnit.SECONDS) != null, "the fetch is in flight");
      caller.get().interrupt();
      ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(10, TimeUnit.SECONDS));
      MutagentIoException io = assertInstanceOf(MutagentIoException.class, e.getCause());
      assertInstanceOf(InterruptedIOException.class, io.getCause());
      assertEquals(Boolean.TRUE, flagAfter.get(), "the thread's interrupt flag is still set");
    }
  }

  @Test
  void aBackgroundRefreshWhoseUserCodeThrowsAnythingLeavesTheStalePromptServedAndTheCacheWorking() throws Exception {
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return ok(PROMPT);
      }
    });
    for (Supplier<Throwable> throwable : throwables()) {
      for (boolean async : new boolean[] {false, true}) {
        Throwable thrown = throwable.get();
        AtomicInteger reads = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean throwing = new java.util.concurrent.atomic.AtomicBoolean();
        Supplier<String> supplier = () -> {
          reads.incrementAndGet();
          if (throwing.get()) {
            throw sneaky(thrown);
          }
          return KEY;
        };
        FakeScheduler clock = new FakeScheduler();
        String where = thrown.getClass().getSimpleName() + (async ? " (async)" : " (blocking)");
        try (Mutagent client = TestClients.mutagent().serverUrl(url()).apiKeySupplier(supplier).scheduler(clock).build()) {
          io.mutagent.prompts.PromptCache blocking = async ? null : client.promptCache();
          io.mutagent.prompts.AsyncPromptCache futures = async ? client.async().promptCache() : null;
          Supplier<io.mutagent.prompts.CachedPrompt> read = () -> async ? futures.get("prm_1").join() : blocking.get("prm_1");
          Supplier<io.mutagent.prompts.PromptCacheStats> stats = () -> async ? futures.stats() : blocking.stats();
          read.get();
          throwing.set(true);
          clock.sleep(java.time.Duration.ofMinutes(11), new CountDownLatch(0));
          assertTrue(read.get().isStale(), where); // starts the refresh, whose supplier throws on an SDK thread
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (stats.get().errors() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
          }
          assertEquals(1, stats.get().errors(), where + ": the refresh ended, failed");
          assertTrue(read.get().isStale(), where + ": the stale prompt is still served");
          throwing.set(false);
          clock.sleep(java.time.Duration.ofMinutes(10), new CountDownLatch(0)); // a TTL after the failed refresh
          read.get();
          deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (read.get().isStale() && System.nanoTime() < deadline) {
            Thread.sleep(1);
          }
          assertFalse(read.get().isStale(), where + ": the next refresh landed");
          assertEquals(2, stats.get().refreshes(), where);
        }
      }
    }
  }

  @Test
  void anAsyncPromptCacheMissAndItsFallbackRunOnTheSdksOwnThreads() throws Exception {
    server.enqueue(new MockResponse().setHeadersDelay(50, TimeUnit.MILLISECONDS)
        .setHeader("Content-Type", "application/json").setBody(PROMPT));
    server.enqueue(status(404).setHeadersDelay(50, TimeUnit.MILLISECONDS));
    AtomicReference<String> completedOn = new AtomicReference<>();
    AtomicReference<String> fallbackOn = new AtomicReference<>();
    try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url()).maxRetries(0).build()) {
      String prefix = client.core().transport.resources.threadNamePrefix();
      io.mutagent.prompts.AsyncPromptCache cache = client.promptCache();
      cache.get("prm_1").whenComplete((value, failure) -> completedOn.set(Thread.currentThread().getName()))
          .get(10, TimeUnit.SECONDS);
      cache.get("prm_2", () -> {
        fallbackOn.set(Thread.currentThread().getName());
        return io.mutagent.prompts.PromptTemplates.fromContent("fallback");
      }).get(10, TimeUnit.SECONDS);
      assertTrue(onDispatcherThread(completedOn.get(), prefix), "a miss completes on a dispatcher thread of the "
          + "SDK's: " + completedOn.get());
      assertTrue(onDispatcherThread(fallbackOn.get(), prefix), "the fallback supplier runs on a dispatcher thread "
          + "of the SDK's, not a JVM-shared one: " + fallbackOn.get());
    }
  }

  /** Returns whether the failure is of the type, or has a cause of it. */
  static boolean carriesA(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
  // ---------------------------------------------------------------------------------------------
  // The trace batcher: its sends, its listener, its close
  // ---------------------------------------------------------------------------------------------

  /** The batchers' warnings (a failed batch, a drop) are expected here: kept out of the test output. */
  static final System.Logger QUIET = new CallbackLogger(message -> { });

  /** A server for the batcher: a batch with a trace named "bad..." is refused (400), others stored. */
  okhttp3.mockwebserver.Dispatcher batchServer(CountDownLatch hang) {
    return new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        hang.await();
        List<String> names = TraceBatcherTest.names(request);
        return names.stream().anyMatch(name -> name.startsWith("bad")) ? status(400)
            : TraceBatcherTest.accepted(names.size());
      }
    };
  }

  @Test
  void aBatcherListenerThrowingAnythingEndsOnlyItsOwnCallOnEitherClient() throws Exception {
    server.setDispatcher(batchServer(new CountDownLatch(0)));
    for (Supplier<Throwable> throwable : throwables()) {
      for (boolean async : new boolean[] {false, true}) {
        Throwable thrown = throwable.get();
        String where = "batcher listener throwing " + thrown.getClass().getSimpleName() + (async ? " (async)" : " (blocking)");
        hookRuns.incrementAndGet();
        AtomicInteger heard = new AtomicInteger();
        TraceBatcherListener listener = new TraceBatcherListener() {
          @Override
          public void onDropped(TraceInput trace, DropReason reason) {
            heard.incrementAndGet();
            throw sneaky(thrown);
          }

          @Override
          public void onFailed(List<TraceInput> traces, Throwable error) {
            heard.incrementAndGet();
            throw sneaky(thrown);
          }
        };
        TraceBatcherOptions options = TraceBatcherOptions.builder().maxQueueSize(1).listener(listener).build();
        AutoCloseable client;
        TraceBatcher batcher;
        if (async) {
          AsyncMutagent made = TestClients.asyncMutagent().logger(QUIET).apiKey(KEY).serverUrl(url()).build();
          batcher = made.traceBatcher(options);
          client = made;
        } else {
          Mutagent made = TestClients.mutagent().logger(QUIET).apiKey(KEY).serverUrl(url()).build();
          batcher = made.traceBatcher(options);
          client = made;
        }
        try {
          assertTrue(batcher.add(TraceBatcherTest.trace("bad")), where);
          assertFalse(batcher.add(TraceBatcherTest.trace("dropped")), where + ": add returns false, never throws");
          FlushResult failed = finished(batcher.flush(), where);
          assertEquals(1, failed.failed(), where);
          assertTrue(batcher.add(TraceBatcherTest.trace("good")), where + ": the batcher goes on");
          FlushResult sent = finished(batcher.flush(), where);
          assertEquals(1, sent.sent(), where);
          assertEquals(2, heard.get(), where + ": the listener heard the drop and the failure");
        } finally {
          client.close();
        }
      }
    }
  }

  /** Returns the flush's result, counting it as pending if it does not complete. */
  static FlushResult finished(CompletableFuture<FlushResult> flush, String where) throws Exception {
    try {
      return flush.get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      pending.incrementAndGet();
      throw new AssertionError(where + ": the flush did not complete", e);
    }
  }

  @Test
  void anInterruptEndsABatchersCloseAtOnceAndKeepsTheFlag() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    server.setDispatcher(batchServer(hang));
    try (Mutagent client = TestClients.mutagent().logger(QUIET).apiKey(KEY).serverUrl(url()).build()) {
      TraceBatcher batcher = client.traceBatcher();
      batcher.add(TraceBatcherTest.trace("slow"));
      AtomicReference<Thread> closer = new AtomicReference<>();
      AtomicReference<Boolean> flagAfter = new AtomicReference<>();
      Future<CloseResult> closing = callers.submit(() -> {
        closer.set(Thread.currentThread());
        try {
          return batcher.close(java.time.Duration.ofMinutes(5));
        } finally {
          flagAfter.set(Thread.currentThread().isInterrupted());
        }
      });
      assertTrue(server.takeRequest(10, TimeUnit.SECONDS) != null, "the batch is on the server, unanswered");
      long interruptedAt = System.nanoTime();
      closer.get().interrupt();
      CloseResult result = closing.get(10, TimeUnit.SECONDS);
      noteMillis(interruptEndedMillis, interruptedAt);
      assertTrue(result.interrupted());
      assertEquals(1, result.unconfirmed());
      assertEquals(Boolean.TRUE, flagAfter.get(), "the thread's interrupt flag is still set");
    } finally {
      hang.countDown();
    }
  }

  @ParameterizedTest(name = "async {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void closingTheClientEndsAPendingFlushByTheBatchersCloseTimeout(boolean async) throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    server.setDispatcher(batchServer(hang));
    FakeScheduler clock = new FakeScheduler(); // its timers fire at once: the close timeout passes at once
    AutoCloseable client;
    TraceBatcher batcher;
    if (async) {
      AsyncMutagent made = TestClients.asyncMutagent().logger(QUIET).apiKey(KEY).serverUrl(url()).scheduler(clock).build();
      batcher = made.traceBatcher();
      client = made;
    } else {
      Mutagent made = TestClients.mutagent().logger(QUIET).apiKey(KEY).serverUrl(url()).scheduler(clock).build();
      batcher = made.traceBatcher();
      client = made;
    }
    try {
      batcher.add(TraceBatcherTest.trace("held"));
      CompletableFuture<FlushResult> flush = batcher.flush();
      assertTrue(server.takeRequest(10, TimeUnit.SECONDS) != null, "the batch is on the server, unanswered");
      long closedAt = System.nanoTime();
      client.close();
      noteMillis(closeEndedMillis, closedAt);
      assertTrue(flush.isDone(), "the client's close ended the flush before it returned");
      assertEquals(1, flush.get().failed());
      assertEquals(0, batcher.counts().inFlight());
    } finally {
      hang.countDown();
    }
  }

}
