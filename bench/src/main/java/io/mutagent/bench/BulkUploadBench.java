package io.mutagent.bench;

import io.mutagent.Mutagent;
import io.mutagent.bulk.BulkOptions;
import io.mutagent.bulk.BulkResult;
import io.mutagent.models.CreateDatasetItemRequest;
import io.mutagent.ratelimit.RateLimits;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Bulk upload against a scaled-down rate-limit window (issue 22): 20,000 dataset items in chunks of
 * 100 (200 calls) through {@code bulkAddDatasetItemsInChunks}, against a loopback server that
 * allows 10 requests per key per 1 s window, windows aligned to whole epoch seconds on the real
 * clock (as the API's whole-second {@code X-RateLimit-Reset} implies), answering 429
 * {@code rate_limited} with {@code Retry-After} past that. Run with the client-side limiter
 * ({@code RateLimits.defaults()}), with it and no background reserve, and without it
 * ({@code RateLimits.off()}), each on its own key (a fresh budget).
 *
 * <p>For each: the wall time from the first chunk to the summary, the theoretical minimum from
 * the same start (the windows needed: 10 calls in the start's window and each one after, so the
 * last call goes at the start of window 20; 0 ms of latency), the ratio, the 429s the server
 * answered and the chunks that failed. Background work (bulk chunks are) leaves the limiter's
 * reserve of each window to the application, 1 of 10 by default: the minimum at 9 a window is
 * printed too. Prints a Markdown table and writes it to the file given as first argument.
 */
public final class BulkUploadBench {
  static final int ITEMS = 20_000;
  static final int CHUNK = 100;
  static final int LIMIT = 10;
  static final long WINDOW_MS = 1_000;

  private BulkUploadBench() {}

  /** The window server: 10 requests per key per whole epoch second. */
  static final class Window extends Dispatcher {
    final Map<String, long[]> windows = new java.util.HashMap<>();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      requests.incrementAndGet();
      long now = System.currentTimeMillis();
      long window = Math.floorDiv(now, WINDOW_MS);
      long reset = (window + 1) * WINDOW_MS / 1000;
      String key = String.valueOf(request.getHeader("x-api-key"));
      int used;
      synchronized (this) {
        long[] counted = windows.computeIfAbsent(key, k -> new long[] {window, 0});
        if (counted[0] != window) {
          counted[0] = window;
          counted[1] = 0;
        }
        if (counted[1] >= LIMIT) {
          throttled.incrementAndGet();
          return new MockResponse().setResponseCode(429).setHeader("Content-Type", "application/json")
              .setHeader("X-RateLimit-Limit", LIMIT).setHeader("X-RateLimit-Remaining", 0)
              .setHeader("X-RateLimit-Reset", reset).setHeader("Retry-After", (reset * 1000 - now + 999) / 1000)
              .setBody("{\"error\":\"rate_limited\",\"message\":\"too many requests\"}");
        }
        used = (int) ++counted[1];
      }
      int items = request.getBody().readUtf8().split("\"input\"", -1).length - 1;
      return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
          .setHeader("X-RateLimit-Limit", LIMIT).setHeader("X-RateLimit-Remaining", LIMIT - used)
          .setHeader("X-RateLimit-Reset", reset).setBody("{\"createdCount\":" + items + ",\"items\":[]}");
    }
  }

  /** Arguments: the output Markdown file. */
  public static void main(String[] args) throws Exception {
    List<CreateDatasetItemRequest> items = new ArrayList<>(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      items.add(CreateDatasetItemRequest.builder().input(Map.of("question", "Question number " + i))
          .expectedOutput("Answer number " + i).build());
    }
    MockWebServer server = new MockWebServer();
    Window window = new Window();
    server.setDispatcher(window);
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    String url = server.url("/").toString();
    StringBuilder table = new StringBuilder();
    table.append("| bulk upload, 20,000 items in 200 chunks, 10 requests / 1 s window | wall time | "
        + "theoretical minimum | ratio | minimum at 9 a window (reserve kept) | ratio to it | 429s | failed chunks |\n");
    table.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    Object[][] runs = {
        {"with the limiter (`RateLimits.defaults()`)", RateLimits.defaults(), "mt_bench_bulk_limiter"},
        {"with the limiter, no reserve (`backgroundReserve(0)`)", RateLimits.builder().backgroundReserve(0).build(),
            "mt_bench_bulk_noreserve"},
        {"without it (`RateLimits.off()`)", RateLimits.off(), "mt_bench_bulk_off"}};
    try {
      for (Object[] run : runs) {
        table.append(run(url, window, items, (String) run[0], (RateLimits) run[1], (String) run[2])).append('\n');
      }
    } finally {
      server.shutdown();
    }
    System.out.println();
    System.out.print(table);
    Files.write(Paths.get(args[0]), table.toString().getBytes(StandardCharsets.UTF_8));
  }

  static String run(String url, Window window, List<CreateDatasetItemRequest> items, String name, RateLimits limits,
      String key) {
    int throttledBefore = window.throttled.get();
    int requestsBefore = window.requests.get();
    try (Mutagent client = Mutagent.builder().apiKey(key).serverUrl(url).rateLimits(limits).build()) {
      long startMs = System.currentTimeMillis();
      long startNanos = System.nanoTime();
      BulkResult<CreateDatasetItemRequest> result = client.promptDatasetItems().bulkAddDatasetItemsInChunks(
          "ds_bench", items, BulkOptions.builder().chunkSize(CHUNK).build());
      long wallMs = (System.nanoTime() - startNanos) / 1_000_000;
      int calls = ITEMS / CHUNK;
      long minimum = minimumMillis(startMs, calls, LIMIT);
      long minimumReserve = minimumMillis(startMs, calls, LIMIT - 1);
      int throttled = window.throttled.get() - throttledBefore;
      System.out.printf(Locale.ROOT, "bulk upload %s: %d ms, minimum %d ms (%.2fx), at 9 a window %d ms (%.2fx); "
          + "%d requests, %d 429s, %d items added, %d chunks failed%n", name, wallMs, minimum,
          wallMs / (double) minimum, minimumReserve, wallMs / (double) minimumReserve,
          window.requests.get() - requestsBefore, throttled, result.itemsAdded(), result.failedChunks().size());
      boolean keepsReserve = limits.enabled() && limits.backgroundReserve() > 0;
      String reserveColumns = keepsReserve ? String.format(Locale.ROOT, "%.2f s | %.2fx", minimumReserve / 1000.0,
          wallMs / (double) minimumReserve) : "– | –";
      return String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2fx | %s | %d | %d |", name,
          wallMs / 1000.0, minimum / 1000.0, wallMs / (double) minimum, reserveColumns, throttled,
          result.failedChunks().size());
    }
  }

  /**
   * The least time from {@code startMs} until the last of {@code calls} calls can be sent at
   * {@code perWindow} a window: the start's window takes the first {@code perWindow}, each later
   * window as many, so the last goes at the start of window ceil(calls / perWindow) - 1 after it.
   */
  static long minimumMillis(long startMs, int calls, int perWindow) {
    long windowsNeeded = (calls + perWindow - 1) / perWindow;
    long firstWindowStart = Math.floorDiv(startMs, WINDOW_MS) * WINDOW_MS;
    return firstWindowStart + (windowsNeeded - 1) * WINDOW_MS - startMs;
  }
}
