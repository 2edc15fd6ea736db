package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.mutagent.bulk.BulkOptions;
import io.mutagent.bulk.BulkProgress;
import io.mutagent.bulk.BulkProgressLine;
import io.mutagent.bulk.BulkResult;
import io.mutagent.bulk.BulkUploadException;
import io.mutagent.bulk.FailedChunk;
import io.mutagent.errors.BadRequestException;
import io.mutagent.errors.MutagentIoException;
import io.mutagent.errors.NotFoundException;
import io.mutagent.internal.Json;
import io.mutagent.models.CreateDatasetItemRequest;
import io.mutagent.services.PromptDatasetItemsService;
import io.mutagent.services.PromptDatasetItemsServiceAsync;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chunked bulk upload ({@code bulkAddDatasetItemsInChunks}, from {@code x-mutagent-bulk})
 * against a scripted server that answers each chunk, fails the chunks it is told to, and acts once
 * per {@code Idempotency-Key} as the API does; on a fake clock, so no test waits out a window.
 */
class BulkTest {
  static final String KEY = "mt_bulk_test_key";
  static final String DATASET = "ds_4Wc9Zt1M";

  MockWebServer server;
  ExecutorService threads;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
    threads = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "bulk-caller");
      thread.setDaemon(true);
      return thread;
    });
  }

  @AfterEach
  void stop() throws IOException {
    threads.shutdownNow();
    server.shutdown();
  }

  String url() {
    return server.url("/").toString();
  }

  /** Item n: its input carries n, so the server can tell which items it received. */
  static CreateDatasetItemRequest item(int n) {
    return CreateDatasetItemRequest.builder().input(Map.of("n", String.valueOf(n))).build();
  }

  static List<CreateDatasetItemRequest> items(int count) {
    return IntStream.range(0, count).mapToObj(BulkTest::item).collect(Collectors.toList());
  }

  static int numberOf(CreateDatasetItemRequest item) {
    return Integer.parseInt(item.input().get("n"));
  }

  /**
   * The API's bulk endpoint as a script: 201 with the count for each chunk, 400 for the chunks
   * listed in {@link #rejected}, one 503 first for those in {@link #flaky}; acts at most once per
   * key (a repeated key that was accepted is answered again, nothing added). Optionally behind a
   * {@link WindowServer}'s budget.
   */
  static final class BulkServer extends Dispatcher {
    final @Nullable WindowServer window;
    final Set<Integer> rejected = new HashSet<>();
    final Set<Integer> notFound = new HashSet<>();
    final Set<Integer> flaky = new HashSet<>();
    /** Every request's key, in order. */
    final List<String> keys = Collections.synchronizedList(new ArrayList<>());
    /** Every request's item numbers. */
    final List<List<Integer>> bodies = Collections.synchronizedList(new ArrayList<>());
    final List<Long> bodyBytes = Collections.synchronizedList(new ArrayList<>());
    final List<String> headers = Collections.synchronizedList(new ArrayList<>());
    /** When set, the request of this chunk waits for it before it is answered. */
    volatile java.util.concurrent.@Nullable CountDownLatch hold;
    volatile int holdChunk = -1;
    final Map<String, Integer> acceptedKeys = new HashMap<>();
    /** How many times each item was added. */
    final Map<Integer, Integer> added = new HashMap<>();

    BulkServer(@Nullable WindowServer window) {
      this.window = window;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      if (!request.getPath().endsWith("/items/bulk")) {
        return RetryTest.status(404);
      }
      String key = String.valueOf(request.getHeader("Idempotency-Key"));
      String text = request.getBody().readUtf8();
      List<Integer> numbers = new ArrayList<>();
      for (JsonElement item : JsonParser.parseString(text).getAsJsonObject().getAsJsonArray("items")) {
        numbers.add(Integer.parseInt(item.getAsJsonObject().getAsJsonObject("input").get("n").getAsString()));
      }
      keys.add(key);
      bodies.add(numbers);
      bodyBytes.add(request.getBodySize());
      headers.add(String.valueOf(request.getHeader("X-Import")));
      java.util.concurrent.CountDownLatch latch = hold;
      if (latch != null && key.endsWith("-" + holdChunk)) {
        latch.await(10, TimeUnit.SECONDS);
      }
      MockResponse answer = window == null ? new MockResponse() : window.dispatch(request);
      if (answer.getStatus().contains(" 429 ")) {
        return answer;
      }
      int chunk = Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
      synchronized (this) {
        if (rejected.contains(chunk)) {
          return RetryTest.status(400);
        }
        if (notFound.contains(chunk)) {
          return RetryTest.status(404);
        }
        if (flaky.remove(chunk)) {
          return RetryTest.status(503).setHeader("Retry-After", "1");
        }
        if (!acceptedKeys.containsKey(key)) {
          acceptedKeys.put(key, numbers.size());
          numbers.forEach(n -> added.merge(n, 1, Integer::sum));
        }
      }
      return answer.setResponseCode(201).setHeader("Content-Type", "application/json")
          .setBody("{\"createdCount\":" + numbers.size() + ",\"items\":[]}");
    }

    /** How many requests carried each key. */
    Map<String, Long> keyCounts() {
      synchronized (keys) {
        return keys.stream().collect(Collectors.groupingBy(k -> k, Collectors.counting()));
      }
    }
  }

  BulkServer bulkServer(@Nullable WindowServer window) {
    BulkServer bulk = new BulkServer(window);
    server.setDispatcher(bulk);
    return bulk;
  }

  Mutagent client(FakeScheduler clock) {
    return TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock).build();
  }

  @Test
  void tenThousandItemsWithAFailedChunkInTheMiddleSendEveryOtherChunkOnceAndNameTheFailedOne() {
    BulkServer bulk = bulkServer(null);
    bulk.rejected.add(20);
    bulk.flaky.add(7);
    Mutagent client = client(new FakeScheduler());
    List<CreateDatasetItemRequest> items = items(10_000);
    BulkResult<CreateDatasetItemRequest> result = client.promptDatasetItems()
        .bulkAddDatasetItemsInChunks(DATASET, items, BulkOptions.builder().chunkSize(250).build());

    assertEquals(9_750, result.itemsAdded());
    assertEquals(39, result.chunksSent());
    assertFalse(result.stopped(), "a 400 does not stop the upload by default");
    assertFalse(result.succeeded());
    assertEquals(1, result.failedChunks().size(), result.toString());
    FailedChunk<CreateDatasetItemRequest> failed = result.failedChunks().get(0);
    assertEquals(20, failed.index());
    assertEquals(5_000, failed.firstItemIndex());
    assertEquals(items.subList(5_000, 5_250), failed.items(), "the summary holds the failed chunk's items");
    assertEquals(failed.items(), result.failedItems());
    assertInstanceOf(BadRequestException.class, failed.error());
    assertTrue(failed.idempotencyKey().endsWith("-20"), failed.idempotencyKey());

    // On the server: 41 requests, the flaky chunk's retry carrying its own key again.
    Map<String, Long> keyCounts = bulk.keyCounts();
    assertEquals(40, keyCounts.size(), "one key per chunk");
    keyCounts.forEach((key, count) -> assertEquals(key.endsWith("-7") ? 2L : 1L, count,
        "chunk " + key + " sent once (the 503'd one retried once, with the same key)"));
    assertEquals(41, bulk.keys.size());
    for (int n = 0; n < 10_000; n++) {
      int expected = n >= 5_000 && n < 5_250 ? 0 : 1;
      assertEquals(expected, bulk.added.getOrDefault(n, 0), "item " + n + " added " + expected + " times");
    }
    List<Integer> received = bulk.bodies.stream().flatMap(List::stream).collect(Collectors.toList());
    assertEquals(10_000 + 250, received.size(), "every item sent once, the retried chunk's twice");
    assertEquals(10_000, new HashSet<>(received).size());
    client.close();
  }

  @Test
  void stopOnFirstFailureStopsThereAndA404StopsWhateverTheOption() {
    BulkServer bulk = bulkServer(null);
    bulk.rejected.add(3);
    Mutagent client = client(new FakeScheduler());
    BulkResult<CreateDatasetItemRequest> result = client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET,
        items(1_000), BulkOptions.builder().chunkSize(100).stopOnFirstFailure(true).build());
    assertTrue(result.stopped());
    assertEquals(3, result.chunksSent());
    assertEquals(300, result.itemsAdded());
    assertEquals(3, result.failedChunks().get(0).index());
    assertEquals(4, bulk.keys.size(), "nothing sent after the failed chunk");

    BulkServer missing = bulkServer(null);
    missing.notFound.add(0);
    result = client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET, items(1_000),
        BulkOptions.builder().chunkSize(100).build());
    assertTrue(result.stopped(), "every later chunk would meet the same 404");
    assertInstanceOf(NotFoundException.class, result.failedChunks().get(0).error());
    assertEquals(1, missing.keys.size());
    client.close();
  }

  @Test
  void theListenerHearsEachChunkInOrderTheLastOneFinishedAndTheLineShowsIt() {
    BulkServer bulk = bulkServer(null);
    bulk.rejected.add(1);
    Mutagent client = client(new FakeScheduler());
    List<BulkProgress> seen = new ArrayList<>();
    List<String> threadsSeen = new ArrayList<>();
    BulkResult<CreateDatasetItemRequest> result = client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET,
        items(450), BulkOptions.builder().chunkSize(100).listener(progress -> {
          seen.add(progress);
          threadsSeen.add(Thread.currentThread().getName());
        }).build());
    assertEquals(5, seen.size(), "one progress per chunk");
    for (int i = 0; i < seen.size(); i++) {
      BulkProgress progress = seen.get(i);
      assertEquals(i + 1, progress.chunksDone(), progress.toString());
      assertEquals(450, progress.total().getAsLong());
      assertEquals(i == seen.size() - 1, progress.finished(), "only the last is finished: " + progress);
      assertEquals(i >= 1 ? 100 : 0, progress.itemsFailed());
    }
    assertEquals(350, seen.get(4).itemsSent());
    assertEquals(1, seen.get(4).chunksFailed());
    assertEquals(Set.of(Thread.currentThread().getName()), new HashSet<>(threadsSeen),
        "a blocking upload tells the listener on the caller's thread");
    assertEquals(350, result.itemsAdded());

    // A stream of unknown size: no total. A sized stream: its size.
    bulk.rejected.clear();
    List<BulkProgress> unsized = new ArrayList<>();
    client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET,
        Stream.iterate(0, n -> n + 1).limit(250).map(BulkTest::item),
        BulkOptions.builder().chunkSize(100).listener(unsized::add).build());
    assertEquals(3, unsized.size());
    assertFalse(unsized.get(0).total().isPresent(), "a stream of unknown size has no total");
    List<BulkProgress> sized = new ArrayList<>();
    client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET, items(250).stream(),
        BulkOptions.builder().chunkSize(100).listener(sized::add).build());
    assertEquals(250, sized.get(0).total().getAsLong());

    // The ready display: one line rewritten in place, ended when done.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET, items(300),
        BulkOptions.builder().chunkSize(100).listener(BulkProgressLine.to(out, "dataset items")).build());
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertEquals("\rdataset items: 100 of 300 sent (33%), 1 chunk, 0 failed"
        + "\rdataset items: 200 of 300 sent (66%), 2 chunks, 0 failed"
        + "\rdataset items: 300 of 300 sent (100%), 3 chunks, 0 failed, done" + System.lineSeparator(), printed);
    client.close();
  }

  @Test
  void chunksAreCutByBytesAsTheServerCountsThem() {
    BulkServer bulk = bulkServer(null);
    Mutagent client = client(new FakeScheduler());
    List<CreateDatasetItemRequest> items = new ArrayList<>();
    for (int n = 0; n < 60; n++) {
      // Sizes vary, with 2-, 3- and 4-byte UTF-8 characters, and one item bigger than a chunk.
      String text = "é€😀 ".repeat(20 + (n * 37) % 90) + (n == 30 ? "x".repeat(5_000) : "");
      items.add(CreateDatasetItemRequest.builder().input(Map.of("n", String.valueOf(n))).expectedOutput(text).build());
    }
    long limit = 4_096;
    BulkResult<CreateDatasetItemRequest> result = client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET,
        items, BulkOptions.builder().maxChunkBytes(limit).build());
    assertTrue(result.succeeded());
    assertEquals(60, result.itemsAdded());
    List<Integer> order = bulk.bodies.stream().flatMap(List::stream).collect(Collectors.toList());
    assertEquals(IntStream.range(0, 60).boxed().collect(Collectors.toList()), order, "every item once, in order");
    int next = 0;
    for (int c = 0; c < bulk.bodies.size(); c++) {
      List<Integer> chunk = bulk.bodies.get(c);
      long size = bulk.bodyBytes.get(c);
      long expected = 7 + "items".length() + chunk.size() - 1;
      for (int n : chunk) {
        expected += Json.gson().toJson(items.get(n)).getBytes(StandardCharsets.UTF_8).length;
      }
      assertEquals(expected, size, "chunk " + c + ": the body the server got is the size the SDK measured");
      if (chunk.contains(30)) {
        assertEquals(List.of(30), chunk, "an item bigger than the limit goes alone");
        assertTrue(size > limit);
      } else {
        assertTrue(size <= limit, "chunk " + c + " is " + size + " bytes");
      }
      next += chunk.size();
      if (c < bulk.bodies.size() - 1 && !chunk.contains(30) && next != 30) {
        long withNext = size + 1 + Json.gson().toJson(items.get(next)).getBytes(StandardCharsets.UTF_8).length;
        assertTrue(withNext > limit, "chunk " + c + " is as full as the limit allows");
      }
    }
    assertTrue(bulk.bodies.size() > 10, bulk.bodies.size() + " chunks");
    client.close();
  }

  @Test
  void anUploadPacedByTheLimiterSeesNo429AndLeavesTheReserve() {
    FakeScheduler clock = new FakeScheduler();
    WindowServer window = new WindowServer(clock, 10, 1000);
    BulkServer bulk = bulkServer(window);
    Mutagent client = client(clock);
    BulkResult<CreateDatasetItemRequest> result = client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET,
        items(5_000), BulkOptions.builder().chunkSize(100).build());
    assertTrue(result.succeeded(), result.toString());
    assertEquals(50, result.chunksSent());
    assertEquals(0, window.throttled.get(), "the limiter paced every chunk: no 429");
    assertEquals(50, bulk.keys.size(), "one request per chunk");
    assertFalse(clock.waits.isEmpty(), "chunks waited for the window");
    Map<Long, Long> perWindow = window.sends.stream()
        .collect(Collectors.groupingBy(send -> Math.floorDiv(send[0], 1000L), Collectors.counting()));
    assertTrue(perWindow.values().stream().allMatch(count -> count <= 9),
        "background work leaves 1 of each window of 10 to the application: " + perWindow);
    client.close();
  }

  @Test
  void aChunkTheLimiterCannotHoldWithinItsTimeoutWaitsLongerInsteadOfFailingTheRest() throws Exception {
    FakeScheduler clock = new FakeScheduler();
    WindowServer window = new WindowServer(clock, 10, 60_000);
    BulkServer bulk = bulkServer(window);
    RequestOptions twentySeconds = RequestOptions.builder().timeout(Duration.ofSeconds(20)).build();
    BulkOptions ones = BulkOptions.builder().chunkSize(1).build();
    Mutagent client = client(clock);
    startOfAMinute(clock);
    clock.waits.clear();
    BulkResult<CreateDatasetItemRequest> result = client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET,
        items(30), ones, twentySeconds);
    assertTrue(result.succeeded(), "each chunk past the window waited for the next minute: " + result);
    assertEquals(30, bulk.keys.size(), "refused chunks were not sent: one request per chunk");
    assertEquals(0, window.throttled.get());
    assertTrue(clock.waits.stream().anyMatch(wait -> wait.getSeconds() > 20), "a wait longer than the timeout: "
        + clock.waits);
    try (AsyncMutagent async = TestClients.asyncMutagent().apiKey("mt_async_key").serverUrl(url()).scheduler(clock)
        .build()) {
      startOfAMinute(clock);
      BulkResult<CreateDatasetItemRequest> asyncResult = async.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET,
          items(30), ones, twentySeconds).get(30, TimeUnit.SECONDS);
      assertTrue(asyncResult.succeeded(), asyncResult.toString());
      assertEquals(60, bulk.keys.size());
    }

    // Even 8 times the timeout is too short: the chunk fails, nothing sent, and the upload stops
    // (every later chunk would meet the same window).
    RequestOptions oneSecond = RequestOptions.builder().timeout(Duration.ofSeconds(1)).build();
    Mutagent other = client.withOptions(b -> b.apiKey("mt_third_key"));
    startOfAMinute(clock);
    BulkResult<CreateDatasetItemRequest> refused = other.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET,
        items(30), ones, oneSecond);
    assertTrue(refused.stopped());
    assertEquals(9, refused.chunksSent(), "the 9 a window of 10 leaves to background work");
    assertInstanceOf(io.mutagent.errors.RateLimitWaitException.class, refused.failedChunks().get(0).error());
    assertEquals(69, bulk.keys.size(), "the refused chunk was never sent");
    client.close();
  }

  @Test
  void theAsyncTwinChainsTheChunksOnTheSdksThreadsWithTheSameSummary() throws Exception {
    BulkServer bulk = bulkServer(null);
    bulk.rejected.add(5);
    bulk.flaky.add(2);
    List<String> listenerThreads = Collections.synchronizedList(new ArrayList<>());
    List<Integer> chunksDone = Collections.synchronizedList(new ArrayList<>());
    try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url())
        .scheduler(new FakeScheduler()).build()) {
      String prefix = client.core().transport.resources.threadNamePrefix();
      CompletableFuture<BulkResult<CreateDatasetItemRequest>> upload = client.promptDatasetItems()
          .bulkAddDatasetItemsInChunks(DATASET, items(2_000), BulkOptions.builder().chunkSize(200).listener(progress -> {
            listenerThreads.add(Thread.currentThread().getName());
            chunksDone.add(progress.chunksDone());
          }).build());
      BulkResult<CreateDatasetItemRequest> result = upload.get(30, TimeUnit.SECONDS);
      assertEquals(1_800, result.itemsAdded());
      assertEquals(9, result.chunksSent());
      assertEquals(5, result.failedChunks().get(0).index());
      assertEquals(IntStream.rangeClosed(1, 10).boxed().collect(Collectors.toList()), chunksDone, "in order");
      for (String name : listenerThreads) {
        assertTrue(LifecycleTest.onDispatcherThread(name, prefix), "the listener runs on the SDK's threads: " + name);
      }
      assertEquals(11, bulk.keys.size(), "each chunk once, the 503'd one retried once");
      assertEquals(10, bulk.keyCounts().size());

      // A stream, and invalid arguments as failed futures (nothing thrown, nothing sent).
      BulkResult<CreateDatasetItemRequest> streamed = client.promptDatasetItems()
          .bulkAddDatasetItemsInChunks(DATASET, items(300).stream()).get(30, TimeUnit.SECONDS);
      assertEquals(300, streamed.itemsAdded());
      int sent = bulk.keys.size();
      assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class, () -> client
          .promptDatasetItems().bulkAddDatasetItemsInChunks(" ", items(3)).get(10, TimeUnit.SECONDS)).getCause());
      assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class, () -> client
          .promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET, (List<CreateDatasetItemRequest>) null)
          .get(10, TimeUnit.SECONDS)).getCause());
      assertEquals(sent, bulk.keys.size());
    }
  }

  @Test
  void aThrowingListenerEndsOnlyThatUploadOnEitherClient() throws Exception {
    BulkServer bulk = bulkServer(null);
    Mutagent client = client(new FakeScheduler());
    AssertionError thrown = new AssertionError("listener failed");
    BulkOptions throwing = BulkOptions.builder().chunkSize(100).listener(progress -> {
      if (progress.chunksDone() == 2) {
        throw thrown;
      }
    }).build();
    BulkUploadException e = assertThrows(BulkUploadException.class,
        () -> client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET, items(1_000), throwing));
    assertSame(thrown, e.getCause());
    assertTrue(e.getMessage().contains("listener") && e.getMessage().contains("no further chunk"), e.getMessage());
    assertEquals(2, e.resultSoFar().chunksSent());
    assertEquals(2, bulk.keys.size(), "no chunk after the listener threw");
    assertEquals(300, client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET, items(300)).itemsAdded(),
        "the client goes on");

    try (AsyncMutagent async = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url())
        .scheduler(new FakeScheduler()).build()) {
      int before = bulk.keys.size();
      ExecutionException failed = assertThrows(ExecutionException.class, () -> async.promptDatasetItems()
          .bulkAddDatasetItemsInChunks(DATASET, items(1_000), throwing).get(30, TimeUnit.SECONDS));
      assertInstanceOf(BulkUploadException.class, failed.getCause());
      assertSame(thrown, failed.getCause().getCause());
      assertEquals(before + 2, bulk.keys.size());
    }
    client.close();
  }

  @Test
  void closeEndsAnUploadWaitingForTheWindowAtOnce() throws Exception {
    ScaledClock clock = new ScaledClock(1, 7);
    try {
      WindowServer window = new WindowServer(clock, 1, 60_000);
      BulkServer bulk = bulkServer(window);
      Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock)
          .timeout(Duration.ofMinutes(3)).rateLimits(io.mutagent.ratelimit.RateLimits.builder().backgroundReserve(0).build())
          .build();
      Future<?> upload = threads.submit(() -> client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET,
          items(300), BulkOptions.builder().chunkSize(100).build()));
      waitFor(() -> client.rateLimitStatus().remaining().orElse(1) == 0 && bulk.keys.size() == 1);
      Thread.sleep(100); // the second chunk is now waiting for the next minute's window
      long start = System.nanoTime();
      client.close();
      ExecutionException e = assertThrows(ExecutionException.class, () -> upload.get(10, TimeUnit.SECONDS));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertInstanceOf(IllegalStateException.class, e.getCause(), "the upload ends with the closed client's error");
      assertEquals(1, bulk.keys.size(), "nothing more was sent");
      System.out.println("bulk: close ended a blocking upload waiting for the window in " + millis + " ms");

      AsyncMutagent async = TestClients.asyncMutagent().apiKey("mt_other_key").serverUrl(url()).scheduler(clock)
          .timeout(Duration.ofMinutes(3)).rateLimits(io.mutagent.ratelimit.RateLimits.builder().backgroundReserve(0).build())
          .build();
      CompletableFuture<BulkResult<CreateDatasetItemRequest>> asyncUpload = async.promptDatasetItems()
          .bulkAddDatasetItemsInChunks(DATASET, items(300), BulkOptions.builder().chunkSize(100).build());
      waitFor(() -> bulk.keys.size() == 2);
      Thread.sleep(100);
      async.close();
      ExecutionException asyncFailure = assertThrows(ExecutionException.class, () -> asyncUpload.get(10, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateException.class, asyncFailure.getCause());
      assertEquals(2, bulk.keys.size());
    } finally {
      clock.shutdown();
    }
  }

  @Test
  void anInterruptEndsABlockingUploadAtOnceAndKeepsTheFlag() throws Exception {
    ScaledClock clock = new ScaledClock(1, 8);
    try {
      WindowServer window = new WindowServer(clock, 1, 60_000);
      BulkServer bulk = bulkServer(window);
      Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url()).scheduler(clock)
          .timeout(Duration.ofMinutes(3)).rateLimits(io.mutagent.ratelimit.RateLimits.builder().backgroundReserve(0).build())
          .build();
      List<Object> ended = Collections.synchronizedList(new ArrayList<>());
      Thread caller = new Thread(() -> {
        try {
          client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET, items(300),
              BulkOptions.builder().chunkSize(100).build());
          ended.add("returned");
        } catch (RuntimeException e) {
          ended.add(e);
          ended.add(Thread.currentThread().isInterrupted());
        }
      });
      caller.start();
      waitFor(() -> bulk.keys.size() == 1);
      Thread.sleep(100);
      caller.interrupt();
      caller.join(10_000);
      assertFalse(caller.isAlive(), "the interrupt ended the upload");
      assertInstanceOf(MutagentIoException.class, ended.get(0));
      assertEquals(true, ended.get(1), "the interrupt flag is kept");
      assertEquals(1, bulk.keys.size());
      client.close();
    } finally {
      clock.shutdown();
    }
  }

  @Test
  void cancellingTheAsyncUploadsFutureCancelsTheChunkInFlightAndSendsNoMore() throws Exception {
    BulkServer bulk = bulkServer(null);
    bulk.hold = new java.util.concurrent.CountDownLatch(1);
    bulk.holdChunk = 1;
    try (AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(url())
        .scheduler(new FakeScheduler()).build()) {
      CompletableFuture<BulkResult<CreateDatasetItemRequest>> upload = client.promptDatasetItems()
          .bulkAddDatasetItemsInChunks(DATASET, items(500), BulkOptions.builder().chunkSize(100).build());
      waitFor(() -> bulk.keys.size() == 2);
      assertTrue(upload.cancel(true));
      bulk.hold.countDown();
      Thread.sleep(200); // were a third chunk to go, it would have by now
      assertEquals(2, bulk.keys.size(), "no chunk after the cancelled one");
    }
  }

  /** Moves the fake clock to 100 ms after the start of the next minute: a window's whole length lies ahead. */
  static void startOfAMinute(FakeScheduler clock) {
    long now = clock.now().toEpochMilli();
    clock.sleep(Duration.ofMillis(60_000 - Math.floorMod(now, 60_000L) + 100), new java.util.concurrent.CountDownLatch(1));
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "the condition was not met in 10 s");
      Thread.sleep(5);
    }
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsSent() {
    BulkServer bulk = bulkServer(null);
    Mutagent client = client(new FakeScheduler());
    PromptDatasetItemsService items = client.promptDatasetItems();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> items
        .bulkAddDatasetItemsInChunks(DATASET, items(10), BulkOptions.builder().chunkSize(1_001).build()));
    assertTrue(e.getMessage().contains("chunkSize 1001") && e.getMessage().contains("1000"), e.getMessage());
    List<CreateDatasetItemRequest> withNull = new ArrayList<>(items(10));
    withNull.set(7, null);
    e = assertThrows(IllegalArgumentException.class, () -> items.bulkAddDatasetItemsInChunks(DATASET, withNull));
    assertTrue(e.getMessage().contains("items[7]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> items.bulkAddDatasetItemsInChunks(DATASET, items(3),
        (BulkOptions) null));
    assertThrows(IllegalArgumentException.class, () -> items.bulkAddDatasetItemsInChunks(DATASET, items(3),
        BulkOptions.defaults(), RequestOptions.builder().idempotencyKey("k".repeat(241)).build()));
    assertThrows(IllegalArgumentException.class, () -> BulkOptions.builder().maxChunkBytes(1_000));
    assertThrows(IllegalArgumentException.class, () -> BulkOptions.builder().chunkSize(-1));
    assertEquals(0, bulk.keys.size(), "nothing was sent");

    // A null in a stream is found when read: the chunks before it went, its chunk did not.
    Stream<CreateDatasetItemRequest> stream = IntStream.range(0, 250).mapToObj(n -> n == 120 ? null : item(n));
    e = assertThrows(IllegalArgumentException.class, () -> items.bulkAddDatasetItemsInChunks(DATASET, stream,
        BulkOptions.builder().chunkSize(100).build()));
    assertTrue(e.getMessage().contains("items[120]") && e.getMessage().contains("100 items were added"), e.getMessage());
    assertEquals(1, bulk.keys.size());

    BulkResult<CreateDatasetItemRequest> empty = items.bulkAddDatasetItemsInChunks(DATASET, List.of());
    assertTrue(empty.succeeded());
    assertEquals(0, empty.chunksSent());
    client.close();
  }

  @Test
  void aCallersIdempotencyKeyNamesEachChunkSoARerunAddsNothingTwice() {
    BulkServer bulk = bulkServer(null);
    Mutagent client = client(new FakeScheduler());
    RequestOptions keyed = RequestOptions.builder().idempotencyKey("import-2026-12-07").header("X-Import", "nightly")
        .build();
    BulkOptions hundreds = BulkOptions.builder().chunkSize(100).build();
    client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET, items(300), hundreds, keyed);
    assertEquals(List.of("import-2026-12-07-0", "import-2026-12-07-1", "import-2026-12-07-2"), bulk.keys);
    assertEquals(List.of("nightly", "nightly", "nightly"), bulk.headers, "the caller's options go with every chunk");
    client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET, items(300), hundreds, keyed);
    assertTrue(bulk.added.values().stream().allMatch(count -> count == 1), "the rerun added nothing twice");
    // Without a key, each upload has its own random keys.
    client.promptDatasetItems().bulkAddDatasetItemsInChunks(DATASET, items(100));
    String random = bulk.keys.get(6);
    assertTrue(random.startsWith("bulk-") && random.endsWith("-0"), random);
    client.close();
  }

  @Test
  void bothNamespacesHaveTheChunkedMethodWithTheSameSixOverloads() {
    List<String> blocking = overloads(PromptDatasetItemsService.class);
    assertEquals(6, blocking.size(), blocking.toString());
    assertEquals(blocking, overloads(PromptDatasetItemsServiceAsync.class));
    for (Method m : PromptDatasetItemsServiceAsync.class.getMethods()) {
      if (m.getName().endsWith("InChunks")) {
        assertEquals(CompletableFuture.class, m.getReturnType());
      }
    }
  }

  static List<String> overloads(Class<?> service) {
    return Arrays.stream(service.getMethods()).filter(m -> m.getName().equals("bulkAddDatasetItemsInChunks"))
        .map(m -> Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ")))
        .sorted().collect(Collectors.toList());
  }
}
