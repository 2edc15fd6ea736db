package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mutagent.internal.Json;
import io.mutagent.internal.tracing.QueuedTraceBatcher;
import io.mutagent.models.IngestTracesResult;
import io.mutagent.models.SpanInput;
import io.mutagent.models.SpanKind;
import io.mutagent.models.TraceInput;
import io.mutagent.models.TraceStatus;
import io.mutagent.tracing.CloseResult;
import io.mutagent.tracing.DropReason;
import io.mutagent.tracing.FlushResult;
import io.mutagent.tracing.TraceBatcher;
import io.mutagent.tracing.TraceBatcherCounts;
import io.mutagent.tracing.TraceBatcherListener;
import io.mutagent.tracing.TraceBatcherOptions;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trace batcher against scripted servers: nothing lost under load from 32 threads, a batch
 * retried with its one Idempotency-Key while the server is down, a full queue that drops and
 * counts, a close that ends by its timeout, and a client closed while a batcher holds traces.
 * Time is the {@link FakeScheduler}'s wherever the interval or a timeout matters; no test sleeps.
 */
class TraceBatcherTest {
  static final String KEY = "mt_batcher_test_key";
  static final OffsetDateTime START = OffsetDateTime.of(2026, 11, 2, 9, 14, 0, 0, ZoneOffset.UTC);

  MockWebServer server;
  /** What the batchers logged: kept out of the test output, and read by the tests. */
  final List<String> logged = new CopyOnWriteArrayList<>();
  final LifecycleTest.CallbackLogger logs = new LifecycleTest.CallbackLogger(logged::add);
  /** Every trace name the server stored, with how many times. */
  final Map<String, AtomicInteger> stored = new ConcurrentHashMap<>();
  /** Every ingestTraces request, in arrival order. */
  final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  /** Released by a test whose server answers late. */
  final CountDownLatch release = new CountDownLatch(1);
  ExecutorService threads;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
    threads = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "batcher-test");
      thread.setDaemon(true);
      return thread;
    });
  }

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    threads.shutdownNow();
    server.shutdown();
  }

  String url() {
    return server.url("/").toString();
  }

  static TraceInput trace(String name) {
    SpanInput span = SpanInput.builder().id("spn_1").name("chat").kind(SpanKind.LLM).status(TraceStatus.OK)
        .startTime(START).endTime(START.plusSeconds(1)).input("How do I rotate an API key?").build();
    return TraceInput.builder().name(name).status(TraceStatus.OK).startTime(START).endTime(START.plusSeconds(1))
        .spans(List.of(span)).build();
  }

  /** The names of the traces in an ingestTraces body. */
  static List<String> names(RecordedRequest request) {
    JsonArray traces = JsonParser.parseString(request.getBody().clone().readString(StandardCharsets.UTF_8))
        .getAsJsonObject().getAsJsonArray("traces");
    List<String> names = new ArrayList<>();
    for (JsonElement trace : traces) {
      names.add(trace.getAsJsonObject().get("name").getAsString());
    }
    return names;
  }

  static MockResponse accepted(int count) {
    JsonObject body = new JsonObject();
    body.addProperty("acceptedCount", count);
    JsonArray ids = new JsonArray();
    for (int i = 0; i < count; i++) {
      ids.add("trc_" + i);
    }
    body.add("traceIds", ids);
    return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }

  /** A server that stores every batch (once per Idempotency-Key, as the API does) and answers 201. */
  Dispatcher storing() {
    Map<String, Boolean> keys = new ConcurrentHashMap<>();
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        List<String> names = names(request);
        if (keys.putIfAbsent(request.getHeader("Idempotency-Key"), true) == null) {
          names.forEach(name -> stored.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet());
        }
        return accepted(names.size());
      }
    };
  }

  /** Waits, without a fixed sleep, until the condition holds (at most 10 s, then fails). */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(1);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Load: nothing lost, nothing twice
  // ---------------------------------------------------------------------------------------------

  @Test
  void underLoadFrom32ThreadsEveryTraceAddedBeforeAFlushReachesTheServerExactlyOnce() throws Exception {
    server.setDispatcher(storing());
    int perThread = 250;
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().maxQueueSize(100_000)
          .maxQueueBytes(256L * 1024 * 1024).build());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<FlushResult>> flushes = new ArrayList<>();
      for (int t = 0; t < 32; t++) {
        int thread = t;
        flushes.add(threads.submit(() -> {
          go.await();
          for (int i = 0; i < perThread; i++) {
            assertTrue(batcher.add(trace("t" + thread + "-" + i)));
          }
          FlushResult flushed = batcher.flush().get(30, TimeUnit.SECONDS);
          // Everything this thread added before its flush is on the server once the flush completes.
          for (int i = 0; i < perThread; i++) {
            AtomicInteger times = stored.get("t" + thread + "-" + i);
            assertNotNull(times, "t" + thread + "-" + i + " was not on the server when its flush completed");
          }
          return flushed;
        }));
      }
      go.countDown();
      for (Future<FlushResult> flush : flushes) {
        FlushResult result = flush.get(60, TimeUnit.SECONDS);
        assertEquals(0, result.failed());
        assertEquals(0, result.dropped());
      }
      FlushResult last = batcher.flush().get(30, TimeUnit.SECONDS);
      assertTrue(last.isComplete());
      int total = 32 * perThread;
      assertEquals(total, stored.size(), "every trace reached the server");
      stored.forEach((name, times) -> assertEquals(1, times.get(), name + " was stored more than once"));
      long sentTraces = 0;
      for (RecordedRequest request : requests) {
        int size = names(request).size();
        assertTrue(size >= 1 && size <= TraceBatcherOptions.MAX_BATCH_SIZE, "a batch has 1 to 100 traces: " + size);
        assertTrue(request.getBodySize() <= batcher.options().maxBatchBytes(), "a body fits maxBatchBytes");
        assertEquals("true", String.valueOf(request.getHeader("Idempotency-Key") != null));
        sentTraces += size;
      }
      assertEquals(total, sentTraces, "no trace was sent twice");
      TraceBatcherCounts counts = batcher.counts();
      assertEquals(total, counts.added());
      assertEquals(total, counts.sent());
      assertEquals(0, counts.dropped() + counts.failed() + counts.queued() + counts.inFlight());
      assertEquals(requests.size(), counts.batches());
      assertTrue(counts.batches() < total / 10, "traces went in batches, not one call each: " + counts.batches());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Server down, then up
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {503, 429})
  void aBatchTheServerRefusesWhileDownIsRetriedWithItsOneIdempotencyKeyAndStoredOnce(int status)
      throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Dispatcher storing = storing();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (calls.incrementAndGet() <= 2) {
          requests.add(request);
          return RetryTest.status(status).setHeader("Retry-After", "1");
        }
        return storing.dispatch(request);
      }
    });
    FakeScheduler clock = new FakeScheduler();
    clock.parkFrom = Duration.ofSeconds(90); // the interval waits; the retries' waits pass at once
    try (AsyncMutagent client = TestClients.asyncMutagent().logger(logs).apiKey(KEY).serverUrl(url()).scheduler(clock)
        .maxRetries(2).build()) {
      TraceBatcher batcher = client.traceBatcher();
      for (int i = 0; i < 5; i++) {
        batcher.add(trace("down-" + i));
      }
      FlushResult flushed = batcher.flush().get(10, TimeUnit.SECONDS);
      assertEquals(5, flushed.sent());
      assertEquals(0, flushed.failed());
      assertEquals(3, requests.size(), "two refusals, then the batch went through");
      String key = requests.get(0).getHeader("Idempotency-Key");
      assertNotNull(key);
      for (RecordedRequest request : requests) {
        assertEquals(key, request.getHeader("Idempotency-Key"), "every attempt of the batch carries its one key");
        assertEquals(List.of("down-0", "down-1", "down-2", "down-3", "down-4"), names(request));
      }
      assertTrue(clock.waits.contains(Duration.ofSeconds(1)), "the retries waited the server's Retry-After");
      stored.forEach((name, times) -> assertEquals(1, times.get(), name));
      assertEquals(5, stored.size());

      batcher.add(trace("next"));
      batcher.flush().get(10, TimeUnit.SECONDS);
      assertNotEquals(key, requests.get(3).getHeader("Idempotency-Key"), "each batch has its own key");
      assertEquals(6, batcher.counts().sent());
    }
  }

  @Test
  void aBatchStillRefusedAfterTheRetriesFailsForGoodAndItsFlushSaysSo() throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        return RetryTest.status(400);
      }
    });
    List<List<TraceInput>> failures = new CopyOnWriteArrayList<>();
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).scheduler(parkingClock()).build()) {
      TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().listener(new TraceBatcherListener() {
        @Override
        public void onFailed(List<TraceInput> traces, Throwable error) {
          failures.add(traces);
        }
      }).build());
      batcher.add(trace("bad-0"));
      batcher.add(trace("bad-1"));
      FlushResult flushed = batcher.flush().get(10, TimeUnit.SECONDS);
      assertEquals(0, flushed.sent());
      assertEquals(2, flushed.failed());
      assertFalse(flushed.isComplete());
      assertTrue(flushed.firstError().orElseThrow() instanceof io.mutagent.errors.BadRequestException);
      assertEquals(1, requests.size(), "a 400 is not retried");
      assertEquals(1, failures.size());
      assertEquals(2, failures.get(0).size());
      assertEquals(2, batcher.counts().failed());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The interval
  // ---------------------------------------------------------------------------------------------

  @Test
  void aBatchThatDoesNotFillIsSentWhenItsOldestTraceHasWaitedTheInterval() throws Exception {
    server.setDispatcher(storing());
    FakeScheduler clock = new FakeScheduler();
    clock.park = true;
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).scheduler(clock).build()) {
      TraceBatcher batcher = client.traceBatcher();
      batcher.add(trace("a"));
      batcher.add(trace("b"));
      batcher.add(trace("c"));
      await("the sender armed the interval", () -> !clock.parked.isEmpty());
      assertEquals(List.of(Duration.ofSeconds(90)), clock.waits, "the default interval is 90 s");
      assertEquals(0, requests.size(), "nothing is sent before the interval");
      assertEquals(3, batcher.counts().queued());
      clock.runParked();
      await("the batch arrived", () -> requests.size() == 1);
      assertEquals(List.of("a", "b", "c"), names(requests.get(0)));
      await("it was acknowledged", () -> batcher.counts().sent() == 3);
    }
  }

  @Test
  void aFullBatchGoesAtOnceWithoutWaitingForTheInterval() throws Exception {
    server.setDispatcher(storing());
    FakeScheduler clock = new FakeScheduler();
    clock.park = true;
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).scheduler(clock).build()) {
      TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().maxBatchSize(4)
          .maxConcurrentBatches(1).build());
      for (int i = 0; i < 9; i++) {
        batcher.add(trace("full-" + i));
      }
      await("two full batches arrived", () -> requests.size() == 2);
      assertEquals(List.of("full-0", "full-1", "full-2", "full-3"), names(requests.get(0)));
      assertEquals(List.of("full-4", "full-5", "full-6", "full-7"), names(requests.get(1)));
      await("the ninth waits for the interval", () -> batcher.counts().sent() == 8 && !clock.parked.isEmpty());
      assertEquals(1, batcher.counts().queued());
      assertEquals(2, requests.size());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // A full queue
  // ---------------------------------------------------------------------------------------------

  @Test
  void aFullQueueDropsTheNewestTracesCountsEveryDropAndNeverBlocksTheCaller() throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        requests.add(request);
        release.await(); // the server hangs until the test releases it
        return accepted(names(request).size());
      }
    });
    List<String> droppedNames = new CopyOnWriteArrayList<>();
    List<DropReason> reasons = new CopyOnWriteArrayList<>();
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().maxQueueSize(10).maxBatchSize(5)
          .maxConcurrentBatches(1).listener(new TraceBatcherListener() {
            @Override
            public void onDropped(TraceInput trace, DropReason reason) {
              droppedNames.add(trace.name());
              reasons.add(reason);
            }
          }).build());
      batcher.add(trace("q-0"));
      batcher.add(trace("q-1"));
      batcher.add(trace("q-2"));
      batcher.add(trace("q-3"));
      batcher.add(trace("q-4"));
      await("the first batch hangs on the server", () -> requests.size() == 1);
      // The server hangs: 10 more fill the queue, and the caller still never waits.
      Future<List<Boolean>> adding = threads.submit(() -> {
        List<Boolean> added = new ArrayList<>();
        for (int i = 5; i < 40; i++) {
          added.add(batcher.add(trace("q-" + i)));
        }
        return added;
      });
      List<Boolean> added = adding.get(10, TimeUnit.SECONDS);
      assertEquals(Collections.nCopies(10, true), added.subList(0, 10));
      assertEquals(Collections.nCopies(25, false), added.subList(10, 35), "the newest are dropped");
      TraceBatcherCounts counts = batcher.counts();
      assertEquals(25, counts.dropped());
      assertEquals(10, counts.queued());
      assertEquals(5, counts.inFlight());
      assertEquals(25, droppedNames.size());
      assertEquals("q-15", droppedNames.get(0));
      assertTrue(reasons.stream().allMatch(r -> r == DropReason.QUEUE_FULL));

      release.countDown();
      FlushResult flushed = batcher.flush().get(10, TimeUnit.SECONDS);
      assertEquals(15, flushed.sent());
      assertEquals(25, flushed.dropped(), "the flush reports the drops since the last one");
      assertFalse(flushed.isComplete());
      assertEquals(15, batcher.counts().sent());
      assertEquals(1, logged.stream().filter(line -> line.contains("queue is full")).count(),
          "one warning for the 25 drops: at most one each 30 s");
    }
  }

  @Test
  void theQueueIsBoundedInBytesToo() {
    server.setDispatcher(storing());
    long size = QueuedTraceBatcher.jsonSize(trace("bytes-0"));
    assertEquals(Json.gson().toJson(trace("bytes-0")).getBytes(StandardCharsets.UTF_8).length, size,
        "the size counted is the JSON's in UTF-8");
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().maxQueueBytes(2048)
          .maxBatchBytes(2048).build());
      int added = 0;
      while (batcher.add(trace("bytes-" + added))) {
        added++;
      }
      assertEquals((int) (2048 / size), added, "the queue held what fits in 2 KiB");
      assertTrue(batcher.counts().queuedBytes() <= 2048);
      assertEquals(1, batcher.counts().dropped());
    }
  }

  /** The spec's ingestTraces request example's trace, read from JSON (its date-times kept as text). */
  static TraceInput specExampleTrace() throws IOException {
    OpenAPI api = new OpenAPIV3Parser().read("openapi/mutagent.yaml");
    Object example = api.getPaths().get("/api/traces").getPost().getRequestBody().getContent()
        .get("application/json").getExample();
    return Json.gson().fromJson(io.swagger.v3.core.util.Json.mapper().writeValueAsString(example),
        io.mutagent.models.IngestTracesRequest.class).traces().get(0);
  }

  @Test
  void addWritesNoJsonItsSizeEstimateIsExactForAsciiTextAndALowerBoundOtherwise() throws IOException {
    TraceInput example = specExampleTrace();
    TraceInput built = example.toBuilder()
        .startTime(OffsetDateTime.of(2026, 11, 2, 9, 14, 0, 123_456_789, ZoneOffset.ofHoursMinutes(5, 30)))
        .endTime(START.plusNanos(250_000)).putAdditionalProperty("sdk", JsonParser.parseString("{\"v\":[1,true]}"))
        .spans(List.of(SpanInput.builder().id("spn_1").name("tool").kind(SpanKind.of("tool-call"))
            .status(TraceStatus.ERROR).startTime(START).endTime(START.plusSeconds(-1).plusNanos(7_000_000))
            .usage(io.mutagent.models.TokenUsage.builder().promptTokens(0).completionTokens(12)
                .totalTokens(Integer.MAX_VALUE).build())
            .attributes(Map.of()).errorMessage("timed out").build()))
        .build();
    for (TraceInput ascii : List.of(example, built, trace("plain"))) {
      assertEquals(Json.gson().toJson(ascii).getBytes(StandardCharsets.UTF_8).length,
          QueuedTraceBatcher.sizeEstimate(ascii), "ASCII text: the estimate is the exact size");
      assertEquals(QueuedTraceBatcher.jsonSize(ascii), QueuedTraceBatcher.sizeEstimate(ascii));
    }
    for (String text : List.of("r\u00e9sum\u00e9", "\u65e5\u672c\u8a9e", "\ud83d\ude00", "say \"hi\"\n", "\u0001\u0002")) {
      TraceInput other = example.toBuilder().metadata(Map.of("text", text.repeat(20))).build();
      long exact = Json.gson().toJson(other).getBytes(StandardCharsets.UTF_8).length;
      long estimate = QueuedTraceBatcher.sizeEstimate(other);
      assertTrue(estimate < exact, text + ": the estimate is below the exact size, " + estimate + " < " + exact);
      assertTrue(exact <= 6 * estimate, text + ": and at least a sixth of it");
    }
  }

  @Test
  void aTraceLargerThanABatchOnlyAsWrittenFailsOnTheSenderAndTheOthersAreSent() throws Exception {
    server.setDispatcher(storing());
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<String> failedNames = new CopyOnWriteArrayList<>();
    TraceBatcherListener listener = new TraceBatcherListener() {
      @Override
      public void onFailed(List<TraceInput> traces, Throwable error) {
        traces.forEach(trace -> failedNames.add(trace.name()));
        failures.add(error);
      }
    };
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().maxBatchBytes(1024)
          .listener(listener).build());
      TraceInput wide = trace("wide").toBuilder().metadata(Map.of("text", "\u00e9".repeat(600))).build();
      assertTrue(QueuedTraceBatcher.sizeEstimate(wide) + 13 <= 1024, "its estimate fits a batch");
      assertTrue(QueuedTraceBatcher.jsonSize(wide) + 13 > 1024, "its JSON does not");
      assertTrue(batcher.add(trace("before")));
      assertTrue(batcher.add(wide), "add takes it: only the sender writes it");
      assertTrue(batcher.add(trace("after")));
      // The three fill a batch by their estimates, so the sender may take them before the flush:
      // the flush is only a barrier here, and the counts say what happened.
      batcher.flush().get(10, TimeUnit.SECONDS);
      assertEquals(1, failures.size(), "the listener heard of the trace before the batch was sent");
      Throwable error = failures.get(0);
      assertTrue(error instanceof IllegalArgumentException, String.valueOf(error));
      assertTrue(error.getMessage().contains("maxBatchBytes") && error.getMessage().contains("'wide'"),
          error.getMessage());
      assertEquals(List.of("wide"), failedNames);
      assertEquals(Map.of("before", 1, "after", 1), Map.of("before", stored.get("before").get(),
          "after", stored.get("after").get()));
      assertFalse(stored.containsKey("wide"));
      TraceBatcherCounts counts = batcher.counts();
      assertEquals(2, counts.sent());
      assertEquals(1, counts.failed());
      assertEquals(0, counts.queued() + counts.queuedBytes() + counts.inFlight());
      assertTrue(logged.stream().anyMatch(line -> line.contains("wide") && line.contains("maxBatchBytes")));
    }
  }

  @Test
  void batchesOfTextThatIsNotAsciiAreCutByTheirExactSize() throws Exception {
    server.setDispatcher(storing());
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().maxBatchBytes(4096).build());
      String text = "\u65e5\u672c\u8a9e".repeat(100); // 300 characters, 900 bytes in UTF-8
      for (int i = 0; i < 30; i++) {
        assertTrue(batcher.add(trace("jp-" + i).toBuilder().metadata(Map.of("text", text)).build()));
      }
      FlushResult flushed = batcher.flush().get(10, TimeUnit.SECONDS);
      assertEquals(30, flushed.sent());
      assertTrue(flushed.isComplete());
      assertEquals(30, stored.size());
      stored.forEach((name, times) -> assertEquals(1, times.get(), name));
      for (RecordedRequest request : requests) {
        assertTrue(request.getBodySize() <= 4096, "a body fits maxBatchBytes: " + request.getBodySize());
      }
      assertTrue(requests.size() >= 8, "about 4 traces a batch by their exact size: " + requests.size());
      assertTrue(requests.size() <= 10, "not one a trace: " + requests.size());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // close()
  // ---------------------------------------------------------------------------------------------

  @Test
  void closeWithASlowServerReturnsByItsTimeoutAndSaysWhatItCouldNotSend() throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        requests.add(request);
        release.await();
        return accepted(names(request).size());
      }
    });
    FakeScheduler clock = new FakeScheduler();
    clock.park = true;
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).scheduler(clock).build()) {
      TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().maxBatchSize(5)
          .maxConcurrentBatches(1).listener(new TraceBatcherListener() {
            @Override
            public void onFailed(List<TraceInput> traces, Throwable error) {
              failures.add(error);
            }
          }).build());
      for (int i = 0; i < 12; i++) {
        batcher.add(trace("slow-" + i));
      }
      await("the first batch hangs on the server", () -> requests.size() == 1);
      Future<CloseResult> closing = threads.submit(() -> batcher.close(Duration.ofSeconds(5)));
      await("close waits for its timeout", () -> clock.waits.contains(Duration.ofSeconds(5)));
      assertFalse(closing.isDone());
      clock.runParked(); // the 5 s pass
      CloseResult result = closing.get(10, TimeUnit.SECONDS);
      assertTrue(result.timedOut());
      assertEquals(0, result.sent());
      assertEquals(7, result.notSent(), "the two batches still queued were never sent");
      assertEquals(5, result.unconfirmed(), "the batch on the server was not answered");
      assertFalse(result.isComplete());
      assertEquals(1, requests.size());
      TraceBatcherCounts counts = batcher.counts();
      assertEquals(12, counts.failed());
      assertEquals(0, counts.queued() + counts.inFlight());
      assertEquals(2, failures.size(), "the listener heard of the unanswered batch and the unsent traces");
      assertFalse(batcher.add(trace("late")), "a closed batcher takes nothing");
      assertEquals(result.toString(), batcher.close(Duration.ofSeconds(5)).toString(), "closing again gives the first result");
    }
  }

  @Test
  void closeSendsWhatIsHeldWithoutWaitingForTheInterval() throws Exception {
    server.setDispatcher(storing());
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      TraceBatcher batcher = client.traceBatcher();
      for (int i = 0; i < 150; i++) {
        batcher.add(trace("held-" + i));
      }
      CloseResult result = batcher.close(Duration.ofSeconds(30));
      assertTrue(result.isComplete(), result.toString());
      assertEquals(150, result.sent());
      assertEquals(150, stored.size());
      assertFalse(result.timedOut());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The client closing first
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void closingTheClientFirstSendsWhatItsBatchersHoldThenEndsItsCalls(boolean async) throws Exception {
    server.setDispatcher(storing());
    AutoCloseable client;
    TraceBatcher batcher;
    TraceBatcher fromCopy;
    if (async) {
      AsyncMutagent root = TestClients.asyncMutagent().logger(logs).apiKey(KEY).serverUrl(url()).build();
      batcher = root.traceBatcher();
      fromCopy = root.withOptions(b -> b.maxRetries(0)).traceBatcher();
      client = root;
    } else {
      Mutagent root = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).keyScope(KeyScope.ORGANIZATION)
          .workspaceId("ws_root").build();
      batcher = root.traceBatcher();
      fromCopy = root.withWorkspace("ws_copy").traceBatcher();
      client = root;
    }
    for (int i = 0; i < 7; i++) {
      batcher.add(trace("root-" + i));
      fromCopy.add(trace("copy-" + i));
    }
    assertEquals(0, requests.size(), "the interval has not passed");
    client.close();
    assertEquals(14, stored.size(), "both batchers sent what they held before the client closed");
    assertEquals(7, batcher.counts().sent());
    assertEquals(7, fromCopy.counts().sent());
    assertFalse(batcher.add(trace("after")), "the batcher closed with its client");
    assertFalse(fromCopy.add(trace("after")));
    if (!async) {
      assertTrue(requests.stream().anyMatch(r -> "ws_copy".equals(r.getHeader("x-workspace-id"))),
          "the copy's batcher sent through the copy");
    }
  }

  @Test
  void closingACopyClosesItsBatcherAndLeavesTheClientItCameFromWorking() throws Exception {
    server.setDispatcher(storing());
    try (Mutagent root = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      Mutagent copy = root.withOptions(b -> b.maxRetries(1));
      TraceBatcher fromCopy = copy.traceBatcher();
      TraceBatcher fromRoot = root.traceBatcher();
      fromCopy.add(trace("copy"));
      fromRoot.add(trace("root"));
      copy.close();
      assertEquals(1, fromCopy.counts().sent());
      assertFalse(fromCopy.add(trace("late")));
      assertTrue(fromRoot.add(trace("root-2")), "the root's batcher is still open");
      assertEquals(2, fromRoot.counts().queued());
      assertThrows(IllegalStateException.class, copy::traceBatcher);
    }
    assertEquals(3, stored.size());
  }

  // ---------------------------------------------------------------------------------------------
  // The sender thread, and the URL an OpenTelemetry sampler rule matches
  // ---------------------------------------------------------------------------------------------

  @Test
  void theSenderIsOneSdkThreadThatEndsWhenNothingIsQueuedOrInFlight() throws Exception {
    server.setDispatcher(storing());
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      TraceBatcher batcher = client.traceBatcher();
      for (int i = 0; i < 3; i++) {
        batcher.add(trace("thread-" + i));
      }
      await("one sender, waiting for the interval", () -> ClientTransportTest.sdkThreads("mutagent-traces-") == 1);
      batcher.flush().get(10, TimeUnit.SECONDS);
      await("the sender ended once idle", () -> ClientTransportTest.sdkThreads("mutagent-traces-") == 0);
      batcher.add(trace("again"));
      assertEquals(1, ClientTransportTest.sdkThreads("mutagent-traces-"), "the next trace starts one again");
    }
    await("close ended it", () -> ClientTransportTest.sdkThreads("mutagent-traces-") == 0);
    assertEquals(4, stored.size());
  }

  /** The README's sampler rule for the OpenTelemetry agent: {@code url.full} matching {@code /api/traces$}. */
  @Test
  void everyBatchIsAPostToTheUrlTheReadmesSamplerRuleMatches() throws Exception {
    server.setDispatcher(storing());
    java.util.regex.Pattern rule = java.util.regex.Pattern.compile("/api/traces$");
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().maxBatchSize(2).build());
      for (int i = 0; i < 5; i++) {
        batcher.add(trace("url-" + i));
      }
      batcher.flush().get(10, TimeUnit.SECONDS);
    }
    assertEquals(3, requests.size());
    for (RecordedRequest request : requests) {
      assertEquals("POST", request.getMethod());
      assertTrue(rule.matcher(request.getRequestUrl().toString()).find(), request.getRequestUrl().toString());
    }
    assertFalse(rule.matcher(server.url("/api/traces/otlp").toString()).find(), "the OTLP bridge is not matched");
    assertFalse(rule.matcher(server.url("/api/prompt").toString()).find());
  }

  // ---------------------------------------------------------------------------------------------
  // What each batch carries
  // ---------------------------------------------------------------------------------------------

  @Test
  void eachBatchIsBackgroundWorkWithItsOwnIdempotencyKeyAndTheSendTimeout() throws Exception {
    List<io.mutagent.RequestOptions> seen = new CopyOnWriteArrayList<>();
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    QueuedTraceBatcher batcher = new QueuedTraceBatcher(TraceBatcherOptions.builder().maxBatchSize(2)
        .sendTimeout(Duration.ofSeconds(7)).build(), (request, options) -> {
          seen.add(options);
          sizes.add(request.traces().size());
          return CompletableFuture.completedFuture(IngestTracesResult.builder().acceptedCount(request.traces().size())
              .traceIds(List.of()).build());
        }, parkingClock(), logs, "test-traces");
    for (int i = 0; i < 5; i++) {
      batcher.add(trace("opt-" + i));
    }
    assertTrue(batcher.flush().get(10, TimeUnit.SECONDS).isComplete());
    assertEquals(List.of(2, 2, 1), sizes);
    assertEquals(3, seen.stream().map(o -> o.idempotencyKey().orElseThrow()).distinct().count());
    for (io.mutagent.RequestOptions options : seen) {
      assertTrue(options.background(), "a batch is background work for the rate limiter");
      assertEquals(Duration.ofSeconds(7), options.timeout().orElseThrow());
    }
    batcher.close();
  }

  static FakeScheduler parkingClock() {
    FakeScheduler clock = new FakeScheduler();
    clock.park = true;
    return clock;
  }

  @Test
  void aShutdownHookIsAddedOnlyWhenAskedAndRemovedWhenTheBatcherCloses() {
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      QueuedTraceBatcher plain = (QueuedTraceBatcher) client.traceBatcher();
      assertEquals(null, plain.shutdownHook(), "no hook unless asked");
      QueuedTraceBatcher hooked = (QueuedTraceBatcher) client.traceBatcher(
          TraceBatcherOptions.builder().shutdownHook(true).build());
      Thread hook = hooked.shutdownHook();
      assertNotNull(hook);
      assertTrue(Runtime.getRuntime().removeShutdownHook(hook), "the hook was registered");
      Runtime.getRuntime().addShutdownHook(hook);
      hooked.close();
      assertFalse(Runtime.getRuntime().removeShutdownHook(hook), "closing the batcher removed its hook");
    }
  }

  @Test
  void aFlushWithNothingPendingCompletesAtOnceAndReportsTheDropsSinceTheLastOne() throws Exception {
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      TraceBatcher batcher = client.traceBatcher();
      batcher.close(Duration.ofSeconds(1));
      assertFalse(batcher.add(trace("late-0")));
      assertFalse(batcher.add(trace("late-1")));
      CompletableFuture<FlushResult> flush = batcher.flush();
      assertTrue(flush.isDone());
      assertEquals(2, flush.get().dropped());
      assertEquals(0, batcher.flush().get().dropped(), "counted once");
      assertEquals(0, server.getRequestCount());
    }
  }

  @Test
  void batchesAreBackgroundWorkThatLeavesTheRateLimitersReserveToTheApplication() throws Exception {
    FakeScheduler clock = new FakeScheduler();
    clock.parkFrom = Duration.ofSeconds(90); // the interval waits; the limiter's waits pass at once
    WindowServer budget = new WindowServer(clock, 10, 30_000);
    server.setDispatcher(budget);
    List<io.mutagent.ratelimit.RateLimitWait> waits = new CopyOnWriteArrayList<>();
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).scheduler(clock)
        .rateLimits(io.mutagent.ratelimit.RateLimits.builder().listener(waits::add).build()).build()) {
      client.prompt().getPrompt("prm_1"); // the limiter learns the window: 9 left
      TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().maxBatchSize(1)
          .maxConcurrentBatches(1).build());
      for (int i = 0; i < 9; i++) {
        batcher.add(trace("rl-" + i));
      }
      FlushResult flushed = batcher.flush().get(10, TimeUnit.SECONDS);
      assertEquals(9, flushed.sent());
      assertEquals(1, waits.size(), "the 9th batch waited for the next window: the last request of one is the "
          + "application's");
      assertTrue(waits.get(0).background(), waits.get(0).toString());
      assertEquals(0, budget.throttled.get(), "no 429");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Bad input
  // ---------------------------------------------------------------------------------------------

  @Test
  void aNullInvalidOrOversizedTraceIsRefusedAtOnceNamingTheProblem() {
    try (Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).build()) {
      TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().maxBatchBytes(1024).build());
      IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> batcher.add(null));
      assertTrue(none.getMessage().contains("trace must not be null"), none.getMessage());
      TraceInput noName = Json.gson().fromJson("{\"status\":\"ok\",\"startTime\":\"2026-11-02T09:14:00Z\","
          + "\"endTime\":\"2026-11-02T09:14:01Z\",\"spans\":[]}", TraceInput.class);
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> batcher.add(noName));
      assertTrue(missing.getMessage().contains("name"), missing.getMessage());
      TraceInput emptyName = Json.gson().fromJson("{\"name\":\"\",\"status\":\"ok\",\"startTime\":"
          + "\"2026-11-02T09:14:00Z\",\"endTime\":\"2026-11-02T09:14:01Z\",\"spans\":[]}", TraceInput.class);
      IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> batcher.add(emptyName));
      assertTrue(empty.getMessage().contains("empty name"), empty.getMessage());
      TraceInput big = trace("big").toBuilder().metadata(Map.of("blob", "x".repeat(2000))).build();
      IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> batcher.add(big));
      assertTrue(tooBig.getMessage().contains("maxBatchBytes"), tooBig.getMessage());
      assertEquals(0, batcher.counts().added(), "a refused trace is not counted: it was never taken");
      assertThrows(IllegalArgumentException.class, () -> client.traceBatcher(null));
    }
  }

  @Test
  void optionsRefuseValuesOutsideTheirRangeNamingTheOption() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> TraceBatcherOptions.builder().maxBatchSize(101)).getMessage().contains("maxBatchSize"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> TraceBatcherOptions.builder().maxQueueSize(0)).getMessage().contains("maxQueueSize"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> TraceBatcherOptions.builder().interval(Duration.ZERO)).getMessage().contains("interval"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> TraceBatcherOptions.builder().maxQueueBytes(2048).maxBatchBytes(4096).build()).getMessage()
        .contains("maxQueueBytes"));
    TraceBatcherOptions defaults = TraceBatcherOptions.defaults();
    assertEquals(Duration.ofSeconds(90), defaults.interval());
    assertEquals(100, defaults.maxBatchSize());
    assertEquals(10_000, defaults.maxQueueSize());
    assertEquals(1024 * 1024, defaults.maxBatchBytes());
    assertEquals(Duration.ofSeconds(10), defaults.closeTimeout());
    assertEquals(defaults.toString(), defaults.toBuilder().build().toString());
  }

  /** The quota the README states: a steady trickle costs at most 86,400 s / interval calls a day. */
  @Test
  void theDefaultIntervalKeepsATrickleUnderTheFreePlansDailyQuota() {
    long callsPerDay = Duration.ofDays(1).getSeconds() / TraceBatcherOptions.defaults().interval().getSeconds();
    assertEquals(960, callsPerDay);
    assertTrue(callsPerDay <= 1_000);
  }

  /**
   * The README's advice for the Free plan: both at their defaults cost 144 + 960 = 1,104 a day, over
   * 1,000; a 3-minute interval brings the batcher to 480, and both to 624.
   */
  @Test
  void aThreeMinuteIntervalAndACachedPromptFitTheFreePlanTogether() {
    long day = Duration.ofDays(1).getSeconds();
    long prompt = day / io.mutagent.prompts.PromptCacheOptions.defaults().ttl().getSeconds();
    long trickle = day / TraceBatcherOptions.defaults().interval().getSeconds();
    assertEquals(144, prompt);
    assertEquals(1_104, prompt + trickle, "both at their defaults pass the Free plan's 1,000");
    long slower = day / TraceBatcherOptions.builder().interval(Duration.ofMinutes(3)).build().interval().getSeconds();
    assertEquals(480, slower);
    assertEquals(624, prompt + slower);
  }

  @Test
  void theBatchSizeLimitIsTheSpecsMaxItemsOfIngestTraces() {
    OpenAPI api = new OpenAPIV3Parser().read("openapi/mutagent.yaml");
    Schema<?> traces = (Schema<?>) api.getComponents().getSchemas().get("IngestTracesRequest").getProperties()
        .get("traces");
    assertEquals(TraceBatcherOptions.MAX_BATCH_SIZE, traces.getMaxItems());
    assertEquals(1, traces.getMinItems());
  }

  @Test
  void closingAClientWithTwoBatchersAndASlowServerTakesOneCloseTimeoutNotTwo() throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        requests.add(request);
        release.await(); // the server never answers while the test runs
        return accepted(names(request).size());
      }
    });
    FakeScheduler clock = new FakeScheduler();
    clock.park = true;
    Mutagent client = TestClients.mutagent().logger(logs).apiKey(KEY).serverUrl(url()).scheduler(clock).build();
    TraceBatcherOptions options = TraceBatcherOptions.builder().closeTimeout(Duration.ofSeconds(5)).build();
    TraceBatcher first = client.traceBatcher(options);
    TraceBatcher second = client.traceBatcher(options);
    for (int i = 0; i < 3; i++) {
      first.add(trace("first-" + i));
      second.add(trace("second-" + i));
    }
    await("both senders armed their interval", () -> clock.parked.size() == 2);
    clock.waits.clear();
    Future<?> closing = threads.submit(() -> {
      client.close();
      return null;
    });
    // The mechanism: both batchers start sending before either waits out its timeout (one after
    // another, the second would send only once the first's 5 s had passed).
    await("both batchers sent their batch while no timeout had passed", () -> requests.size() == 2);
    await("the close waits", () -> clock.parked.size() == 3);
    assertFalse(closing.isDone());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!closing.isDone() && System.nanoTime() < deadline) {
      clock.runParked(); // the time the closes wait passes
      Thread.sleep(1);
    }
    closing.get(10, TimeUnit.SECONDS);
    long waited = 0;
    for (Duration wait : new ArrayList<>(clock.waits)) {
      waited += wait.toMillis();
    }
    assertEquals(5_000, waited, "the client's close waited one close timeout in all, not one per batcher: "
        + clock.waits);
    for (TraceBatcher batcher : List.of(first, second)) {
      TraceBatcherCounts counts = batcher.counts();
      assertEquals(3, counts.failed(), "the unanswered batch was cancelled when the close timeout passed");
      assertEquals(0, counts.queued() + counts.inFlight());
      assertFalse(batcher.add(trace("late")));
    }
  }

  @Test
  void aBatchWhoseConnectionDropsAfterTheServerStoredItIsNeverStoredTwice() throws Exception {
    // The server stores each batch (once per Idempotency-Key, as the API does), then drops the
    // connection without answering the first attempt of the batches whose traces are named "drop-".
    Dispatcher storing = storing();
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        MockResponse answer = storing.dispatch(request);
        int attempt = attempts.computeIfAbsent(String.valueOf(request.getHeader("Idempotency-Key")),
            k -> new AtomicInteger()).incrementAndGet();
        if (attempt == 1 && names(request).get(0).startsWith("drop-")) {
          return new MockResponse().setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_AFTER_REQUEST);
        }
        return answer;
      }
    });
    FakeScheduler clock = new FakeScheduler();
    clock.parkFrom = Duration.ofSeconds(90); // the interval waits; a retry's wait would pass at once
    try (AsyncMutagent client = TestClients.asyncMutagent().logger(logs).apiKey(KEY).serverUrl(url()).scheduler(clock)
        .maxRetries(2).build()) {
      TraceBatcher batcher = client.traceBatcher();

      // On a new connection the request may have reached the server: by the SDK's rule for a POST
      // it is not retried; the batch fails for good, and the server holds it once.
      batcher.add(trace("drop-new-0"));
      batcher.add(trace("drop-new-1"));
      FlushResult lost = batcher.flush().get(10, TimeUnit.SECONDS);
      assertEquals(0, lost.sent());
      assertEquals(2, lost.failed());
      assertTrue(lost.firstError().orElseThrow() instanceof io.mutagent.errors.MutagentIoException,
          String.valueOf(lost.firstError()));
      assertEquals(1, requests.size(), "a POST whose request may have reached the server is not sent again");
      assertEquals(2, batcher.counts().failed());

      // A batch that goes through, leaving its connection in the pool.
      batcher.add(trace("ok-0"));
      assertEquals(1, batcher.flush().get(10, TimeUnit.SECONDS).sent());
      assertEquals(2, requests.size());

      // On that pooled connection, a drop before any answer reads as the server having closed it
      // while idle: the SDK sends the batch again at once, with the same Idempotency-Key, and the
      // server, which had stored it, does not store it twice.
      batcher.add(trace("drop-pooled-0"));
      batcher.add(trace("drop-pooled-1"));
      FlushResult resent = batcher.flush().get(10, TimeUnit.SECONDS);
      assertEquals(2, resent.sent(), String.valueOf(resent));
      assertEquals(0, resent.failed());
      assertEquals(4, requests.size(), "the dropped batch was sent twice");
      assertEquals(requests.get(2).getHeader("Idempotency-Key"), requests.get(3).getHeader("Idempotency-Key"),
          "both attempts carried the batch's one key");
      assertEquals(names(requests.get(2)), names(requests.get(3)));

      assertEquals(5, stored.size());
      stored.forEach((name, times) -> assertEquals(1, times.get(), name + " was stored more than once"));
      TraceBatcherCounts counts = batcher.counts();
      assertEquals(3, counts.sent());
      assertEquals(2, counts.failed());
      assertEquals(3, counts.batches());
    }
  }

  @Test
  void aBatchRefusedAConnectionWhileTheServerIsDownIsRetriedOnceItIsUpAndStoredOnce() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort(); // nothing listens there until the first retry's wait
    }
    MockWebServer later = TestServers.mockWebServer();
    later.setDispatcher(storing());
    FakeScheduler fake = new FakeScheduler();
    fake.parkFrom = Duration.ofSeconds(90); // the interval waits; a retry's wait passes at once
    java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
    io.mutagent.internal.http.Scheduler clock = new io.mutagent.internal.http.Scheduler() {
      @Override
      public long nanoTime() {
        return fake.nanoTime();
      }

      @Override
      public java.time.Instant now() {
        return fake.now();
      }

      @Override
      public void sleep(Duration duration, CountDownLatch wake) {
        fake.sleep(duration, wake);
      }

      @Override
      public Future<?> schedule(Duration delay, Runnable task) {
        if (delay.compareTo(Duration.ofSeconds(90)) < 0 && up.compareAndSet(false, true)) {
          try {
            later.start(port); // the server comes up while the batch waits to be retried
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
        return fake.schedule(delay, task);
      }

      @Override
      public double random() {
        return fake.random();
      }
    };
    try (AsyncMutagent client = TestClients.asyncMutagent().logger(logs).apiKey(KEY)
        .serverUrl("http://127.0.0.1:" + port + "/").scheduler(clock).maxRetries(2).build()) {
      TraceBatcher batcher = client.traceBatcher();
      batcher.add(trace("refused-0"));
      batcher.add(trace("refused-1"));
      FlushResult flushed = batcher.flush().get(10, TimeUnit.SECONDS);
      assertTrue(up.get(), "the first attempt's connection was refused, and the batch waited to be retried");
      assertEquals(2, flushed.sent(), String.valueOf(flushed));
      assertEquals(0, flushed.failed());
      assertEquals(1, requests.size(), "the refused attempt never reached a server; the retry did, once");
      assertNotNull(requests.get(0).getHeader("Idempotency-Key"));
      assertEquals(2, stored.size());
      stored.forEach((name, times) -> assertEquals(1, times.get(), name));
      assertEquals(1, batcher.counts().batches());
    } finally {
      later.shutdown();
    }
  }
}
