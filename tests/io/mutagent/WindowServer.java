package io.mutagent;

import io.mutagent.internal.http.Scheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A scripted server that enforces the API's per-minute window, scaled down: at most
 * {@link #limit} requests per key per window of {@link #windowMillis}, windows aligned to whole
 * epoch seconds on the given clock (as {@code X-RateLimit-Reset} in whole seconds implies), and
 * optionally a daily quota. Every answer carries {@code X-RateLimit-Limit}, {@code -Remaining}
 * and {@code -Reset}; a request past the window gets 429 {@code rate_limited} with
 * {@code Retry-After} in whole seconds, one past the daily quota 429 {@code daily_quota_exceeded}.
 * Counts what it answered and notes each request's time and {@code X-Test-Client} header.
 */
final class WindowServer extends Dispatcher {
  /** Prints each answer (run with -Dwindowserver.debug=true) to see how a window was used. */
  static final boolean DEBUG = Boolean.getBoolean("windowserver.debug");
  private final Scheduler clock;
  final long windowMillis;
  volatile int limit;
  volatile int dailyQuota;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger throttled = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger mostInFlight = new AtomicInteger();
  /** Milliseconds each answer takes, on the real clock (for the concurrency tests). */
  volatile long delayMillis;
  private final Map<String, long[]> windows = new HashMap<>();
  private final Map<String, Integer> days = new HashMap<>();
  /** {time ms, client} of each request that got through. */
  final List<long[]> sends = new ArrayList<>();

  WindowServer(Scheduler clock, int limit, long windowMillis) {
    this.clock = clock;
    this.limit = limit;
    this.windowMillis = windowMillis;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    int now = inFlight.incrementAndGet();
    mostInFlight.accumulateAndGet(now, Math::max);
    try {
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      return answer(request);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private MockResponse answer(RecordedRequest request) {
    requests.incrementAndGet();
    String key = String.valueOf(request.getHeader("x-api-key"));
    long now = clock.now().toEpochMilli();
    long window = Math.floorDiv(now, windowMillis);
    long resetSeconds = (window + 1) * windowMillis / 1000;
    int used;
    synchronized (this) {
      if (dailyQuota > 0) {
        int today = days.getOrDefault(key, 0);
        if (today >= dailyQuota) {
          throttled.incrementAndGet();
          long midnight = Math.floorDiv(now, 86_400_000L) * 86_400_000L + 86_400_000L;
          return limited(resetSeconds, 0, (midnight - now + 999) / 1000, "daily_quota_exceeded");
        }
        days.put(key, today + 1);
      }
      long[] counted = windows.computeIfAbsent(key, k -> new long[] {window, 0});
      if (counted[0] != window) {
        counted[0] = window;
        counted[1] = 0;
      }
      if (counted[1] >= limit) {
        throttled.incrementAndGet();
        if (DEBUG) {
          System.out.println("429 t=" + (now % 100000) + " client " + request.getHeader("X-Test-Client"));
        }
        return limited(resetSeconds, 0, (resetSeconds * 1000 - now + 999) / 1000, "rate_limited");
      }
      used = (int) ++counted[1];
      if (DEBUG) {
        System.out.println("ok  t=" + (now % 100000) + " client " + request.getHeader("X-Test-Client") + " used " + used);
      }
      String client = request.getHeader("X-Test-Client");
      sends.add(new long[] {now, client == null ? -1 : Long.parseLong(client)});
    }
    return new MockResponse().setHeader("Content-Type", "application/json")
        .setHeader("X-RateLimit-Limit", limit).setHeader("X-RateLimit-Remaining", Math.max(0, limit - used))
        .setHeader("X-RateLimit-Reset", resetSeconds).setBody(RetryTest.PROMPT);
  }

  private MockResponse limited(long resetSeconds, int remaining, long retryAfterSeconds, String code) {
    return new MockResponse().setResponseCode(429).setHeader("Content-Type", "application/json")
        .setHeader("X-RateLimit-Limit", limit).setHeader("X-RateLimit-Remaining", remaining)
        .setHeader("X-RateLimit-Reset", resetSeconds).setHeader("Retry-After", retryAfterSeconds)
        .setBody("{\"error\":\"" + code + "\",\"message\":\"" + code + "\"}");
  }

  /**
   * Returns, for each window after the first in which at least {@code clients} clients sent, how
   * far apart their first sends were, as a share of the window.
   */
  synchronized List<Double> firstSendSpreads(int clients) {
    Map<Long, Map<Long, Long>> firsts = new java.util.TreeMap<>();
    for (long[] send : sends) {
      firsts.computeIfAbsent(Math.floorDiv(send[0], windowMillis), w -> new HashMap<>()).putIfAbsent(send[1], send[0]);
    }
    List<Double> spreads = new ArrayList<>();
    boolean first = true;
    for (Map<Long, Long> window : firsts.values()) {
      if (first) {
        first = false;
        continue;
      }
      if (window.size() >= clients) {
        long min = window.values().stream().mapToLong(Long::longValue).min().getAsLong();
        long max = window.values().stream().mapToLong(Long::longValue).max().getAsLong();
        spreads.add((max - min) / (double) windowMillis);
      }
    }
    return spreads;
  }
}
