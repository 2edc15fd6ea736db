package io.mutagent.internal.cache;

import io.mutagent.errors.MutagentApiException;
import io.mutagent.errors.MutagentException;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.errors.MutagentIoException;
import io.mutagent.errors.NotFoundException;
import io.mutagent.errors.RateLimitException;
import io.mutagent.internal.Check;
import io.mutagent.internal.http.Scheduler;
import io.mutagent.models.Prompt;
import io.mutagent.prompts.CachedPrompt;
import io.mutagent.prompts.PromptCacheOptions;
import io.mutagent.prompts.PromptCacheStats;
import io.mutagent.prompts.PromptTemplates;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the blocking and async prompt caches share: the prompts in memory, the fetches in flight
 * (one per prompt), the back-off after failures, and the counts. No thread of its own: refreshes
 * start on a read and run as the client's async calls (on the SDK's dispatcher threads), and their
 * results are stored by the thread that completes them. Time comes from the client's
 * {@link Scheduler}. Internal.
 */
public final class PromptCacheEngine implements ChangeFeed.Listener {
  /** How long the first back-off after a failed fetch lasts; each next one doubles, up to the TTL. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);

  /** Fetches one prompt through the client: a background request when {@code background}. */
  public interface Fetcher {
    /** Starts the fetch; the future completes by the client's call deadline. */
    CompletableFuture<Prompt> fetch(String promptId, boolean background);
  }

  /** A fetched prompt and the answers it gives, made once so that a hit allocates nothing. */
  static final class Entry {
    final Prompt prompt;
    final long fetchedNanos;
    final Instant fetchedAt;
    final CachedPrompt fresh;
    final CachedPrompt stale;
    volatile long lastRead;

    Entry(Prompt prompt, long fetchedNanos, Instant fetchedAt) {
      this.prompt = prompt;
      this.fetchedNanos = fetchedNanos;
      this.fetchedAt = fetchedAt;
      this.fresh = CachedPrompt.of(prompt, CachedPrompt.Freshness.FRESH, fetchedAt, null);
      this.stale = CachedPrompt.of(prompt, CachedPrompt.Freshness.STALE, fetchedAt, null);
      this.lastRead = fetchedNanos;
    }
  }

  /** One fetch in flight, shared by every read of its prompt until it ends. */
  private static final class Flight {
    final CompletableFuture<Entry> result = new CompletableFuture<>();
    /** Set when the prompt was written or dropped meanwhile: the result is not stored. */
    volatile boolean invalidated;
  }

  /**
   * The recent failures of one prompt: how many (a success between two failures does not reset
   * the count, so a flapping API backs off as a failing one does), when the last attempt ended,
   * and when a read that finds nothing to serve may fetch again.
   */
  private static final class Failure {
    final int count;
    final long retryAtNanos;
    /** When the last fetch of this prompt ended, failed or (with {@link #succeededSince}) not. */
    final long attemptNanos;
    final RuntimeException error;
    /** Whether a fetch succeeded after the last failure: the next success forgets the record. */
    final boolean succeededSince;

    Failure(int count, long retryAtNanos, long attemptNanos, RuntimeException error, boolean succeededSince) {
      this.count = count;
      this.retryAtNanos = retryAtNanos;
      this.attemptNanos = attemptNanos;
      this.error = error;
      this.succeededSince = succeededSince;
    }
  }

  private final Fetcher fetcher;
  private final Scheduler clock;
  private final BooleanSupplier clientClosed;
  private final ChangeFeed feed;
  private final String scope;
  private final PromptCacheOptions options;
  private final long ttl;
  private final long staleWindow;
  private final long maxStale;

  private final Object lock = new Object();
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Failure> failures = new ConcurrentHashMap<>();
  private volatile boolean closed;
  /** Runs once when the cache closes: the client forgets to close it. */
  private volatile Runnable onClose = () -> { };

  private final LongAdder hits = new LongAdder();
  private final LongAdder staleHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  /**
   * Creates the engine and starts hearing the client's writes.
   *
   * @param clientClosed whether the client the cache was made from is closed
   * @param scope the client's workspace scope ({@link ChangeFeed#scopeOf})
   */
  public PromptCacheEngine(Fetcher fetcher, Scheduler clock, BooleanSupplier clientClosed, ChangeFeed feed,
      String scope, PromptCacheOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null: pass PromptCacheOptions.defaults()");
    }
    this.fetcher = fetcher;
    this.clock = clock;
    this.clientClosed = clientClosed;
    this.feed = feed;
    this.scope = scope;
    this.options = options;
    this.ttl = options.ttl().toNanos();
    this.staleWindow = saturatedAdd(ttl, options.staleWhileRevalidate().toNanos());
    this.maxStale = options.maxStaleOnError().toNanos();
    feed.add(this);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /** Sets what runs once when the cache closes (the client forgets it); before the cache is shared. */
  public void onClose(Runnable action) {
    this.onClose = action;
  }

  /** Returns the options. */
  public PromptCacheOptions options() {
    return options;
  }

  // ---------------------------------------------------------------------------------------------
  // Reads
  // ---------------------------------------------------------------------------------------------

  /**
   * Returns the answer from memory when the ladder allows one without waiting (fresh, or stale
   * within the window: then a refresh starts), else null.
   *
   * @throws IllegalArgumentException if the id is invalid
   * @throws IllegalStateException if the cache or client is closed
   */
  public @Nullable CachedPrompt answerAtOnce(String promptId) {
    Check.pathParam("promptId", promptId);
    ensureOpen();
    Entry entry = entries.get(promptId);
    if (entry == null) {
      return null;
    }
    long now = clock.nanoTime();
    entry.lastRead = now;
    long age = now - entry.fetchedNanos;
    if (age < ttl) {
      hits.increment();
      return entry.fresh;
    }
    if (age < staleWindow) {
      hits.increment();
      staleHits.increment();
      refresh(promptId, now);
      return entry.stale;
    }
    return null;
  }

  /**
   * After {@link #answerAtOnce} gave null: the answer without a request when the prompt is backing
   * off after a failure (the stale prompt, the fallback or the last error), else null.
   */
  public @Nullable CachedPrompt answerWhileBackingOff(String promptId, @Nullable Supplier<Prompt> fallback) {
    misses.increment();
    Failure failure = failures.get(promptId);
    if (failure == null || clock.nanoTime() - failure.retryAtNanos >= 0) {
      return null;
    }
    return afterFailure(promptId, failure.error, fallback);
  }

  /** Returns the fetch a read that missed waits for: the one in flight, or a new one. */
  CompletableFuture<Entry> miss(String promptId) {
    return flight(promptId, false).result;
  }

  /**
   * Returns the answer after a failed fetch: the last good prompt if the error allows it and it is
   * young enough, else the fallback, else the error is thrown.
   */
  public CachedPrompt afterFailure(String promptId, Throwable failure, @Nullable Supplier<Prompt> fallback) {
    Throwable error = unwrap(failure);
    if (!(error instanceof MutagentException)) {
      throw sneaky(error); // closed, interrupted or invalid: never hidden by a stale prompt or a fallback
    }
    MutagentException apiError = (MutagentException) error;
    Entry entry = entries.get(promptId);
    if (entry != null && transientError(apiError) && clock.nanoTime() - entry.fetchedNanos <= maxStale) {
      return CachedPrompt.of(entry.prompt, CachedPrompt.Freshness.STALE, entry.fetchedAt, apiError);
    }
    if (fallback == null) {
      // Each read throws its own exception (its own stack trace), caused by the one the fetch
      // failed with, which every read of that fetch or of the back-off after it shares.
      throw Replayed.of(apiError);
    }
    Prompt prompt;
    try {
      prompt = fallback.get();
    } catch (Throwable thrown) {
      if (thrown != apiError) {
        thrown.addSuppressed(apiError);
      }
      throw sneaky(thrown);
    }
    if (prompt == null) {
      throw new IllegalStateException("the fallback supplier for prompt " + promptId + " returned null; "
          + "return a Prompt (e.g. PromptTemplates.fromContent(\"...\"))", apiError);
    }
    fallbacks.increment();
    return CachedPrompt.of(prompt, CachedPrompt.Freshness.FALLBACK, null, apiError);
  }

  /** Returns a supplier of a fallback made of this content. */
  public static Supplier<Prompt> contentFallback(String content) {
    if (content == null) {
      throw new IllegalArgumentException("fallbackContent must not be null: pass the prompt text to fall back on");
    }
    return () -> PromptTemplates.fromContent(content);
  }

  /** Whether a failed fetch may be hidden by the last good prompt: the network, a timeout, 429, 5xx, bad data. */
  static boolean transientError(MutagentException error) {
    if (error instanceof MutagentIoException || error instanceof RateLimitException
        || error instanceof MutagentInvalidDataException) {
      return true;
    }
    return error instanceof MutagentApiException && ((MutagentApiException) error).statusCode() >= 500;
  }

  /** Returns the error of a read interrupted while it waited; sets the interrupt flag again. */
  static MutagentIoException interrupted(String promptId, InterruptedException e) {
    Thread.currentThread().interrupt();
    InterruptedIOException cause = new InterruptedIOException("interrupted");
    cause.initCause(e);
    return new MutagentIoException("the thread was interrupted while it waited for prompt " + promptId
        + " (the fetch goes on for other readers)", cause);
  }

  // ---------------------------------------------------------------------------------------------
  // Fetches
  // ---------------------------------------------------------------------------------------------

  /**
   * Starts one background refresh of the prompt, unless one runs or the last attempt, failed or
   * not, ended less than a TTL ago: a prompt that is served costs at most one request per TTL
   * however the API answers (a success after a failure does not let the next refresh come sooner).
   */
  private void refresh(String promptId, long now) {
    if (flights.containsKey(promptId)) {
      return;
    }
    Failure failure = failures.get(promptId);
    if (failure != null && now - failure.attemptNanos < ttl) {
      return;
    }
    flight(promptId, true);
  }

  /**
   * Returns the fetch in flight for the prompt, or starts one. Under the lock with the stores, so
   * a read that found nothing cannot start a second fetch just after the first stored its prompt.
   */
  private Flight flight(String promptId, boolean background) {
    Flight mine;
    synchronized (lock) {
      Flight running = flights.get(promptId);
      if (running != null) {
        return running;
      }
      mine = new Flight();
      Entry entry = entries.get(promptId);
      if (entry != null && clock.nanoTime() - entry.fetchedNanos < ttl) {
        mine.result.complete(entry); // stored since the read looked: nothing to fetch
        return mine;
      }
      flights.put(promptId, mine);
    }
    if (background) {
      refreshes.increment();
    }
    CompletableFuture<Prompt> call;
    try {
      call = fetcher.fetch(promptId, background);
    } catch (RuntimeException | Error e) {
      call = CompletableFuture.failedFuture(e);
    }
    // Removed from flights whatever happens, so that a fetch that never started cannot pin the key.
    call.whenComplete((prompt, failure) -> finish(promptId, mine, prompt, failure));
    return mine;
  }

  /** Stores a fetch's result (unless invalidated meanwhile) and completes its readers. */
  private void finish(String promptId, Flight flight, @Nullable Prompt prompt, @Nullable Throwable failure) {
    Entry stored = null;
    Throwable error = failure != null ? unwrap(failure) : null;
    if (error == null && prompt == null) {
      error = new MutagentInvalidDataException("the API answered getPrompt for " + promptId + " with no body");
    }
    try {
      synchronized (lock) {
        flights.remove(promptId, flight);
        long now = clock.nanoTime();
        if (error == null && prompt != null) {
          stored = new Entry(prompt, now, clock.now());
          if (!flight.invalidated && !closed) {
            Failure last = failures.get(promptId);
            if (last != null && !last.succeededSince) {
              // Remembered through one success, so that fail, succeed, fail... keeps doubling the back-off.
              failures.put(promptId, new Failure(last.count, now, now, last.error, true));
            } else if (last != null) {
              failures.remove(promptId); // two successes in a row: the API is back
            }
            entries.put(promptId, stored);
            evictIfFull(promptId);
          }
        } else if (error != null) {
          errors.increment();
          if (!flight.invalidated && !closed) {
            Failure last = failures.get(promptId);
            int count = last == null ? 1 : last.count + 1;
            failures.put(promptId, new Failure(count, now + backoff(count), now, asRuntime(error), false));
            if (failures.size() > options.maximumSize()) {
              failures.keySet().removeIf(id -> !id.equals(promptId) && !entries.containsKey(id));
            }
            if (error instanceof NotFoundException) {
              entries.remove(promptId); // deleted: never served stale
            }
          }
        }
      }
    } finally {
      if (stored != null) {
        flight.result.complete(stored);
      } else {
        flight.result.completeExceptionally(error != null ? error
            : new IllegalStateException("storing prompt " + promptId + " failed"));
      }
    }
  }

  /** The wait after {@code count} failures in a row: 30 s, doubling, at most the TTL. */
  private long backoff(int count) {
    long wait = FIRST_BACKOFF.toNanos() << Math.min(count - 1, 20);
    return Math.min(wait, ttl);
  }

  /** Drops the prompt read least recently while the cache holds more than its maximum. */
  private void evictIfFull(String keep) {
    while (entries.size() > options.maximumSize()) {
      String oldest = null;
      long oldestRead = Long.MAX_VALUE;
      for (Map.Entry<String, Entry> e : entries.entrySet()) {
        if (!e.getKey().equals(keep) && (oldest == null || e.getValue().lastRead - oldestRead < 0)) {
          oldest = e.getKey();
          oldestRead = e.getValue().lastRead;
        }
      }
      if (oldest == null) {
        return;
      }
      entries.remove(oldest);
      evictions.increment();
    }
  }

  /**
   * Starts fetching every prompt not fresh in memory and returns a future of those that failed,
   * with why; it never fails.
   *
   * @throws IllegalArgumentException if the collection or an id is null or blank
   * @throws IllegalStateException if closed
   */
  public CompletableFuture<Map<String, RuntimeException>> prefetch(Collection<String> promptIds) {
    if (promptIds == null) {
      throw new IllegalArgumentException("promptIds must not be null: pass the ids to fetch, e.g. List.of(\"prm_...\")");
    }
    List<String> ids = new ArrayList<>(promptIds);
    for (String id : ids) {
      Check.pathParam("promptId", id);
    }
    ensureOpen();
    Map<String, RuntimeException> failed = new ConcurrentHashMap<>();
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (String id : ids) {
      all.add(flight(id, false).result.handle((entry, failure) -> {
        if (failure != null) {
          failed.put(id, asRuntime(unwrap(failure)));
        }
        return null;
      }));
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .handle((done, failure) -> {
          Map<String, RuntimeException> ordered = new LinkedHashMap<>();
          for (String id : ids) {
            RuntimeException e = failed.get(id);
            if (e != null) {
              ordered.put(id, e);
            }
          }
          return ordered;
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Invalidation, counts, closing
  // ---------------------------------------------------------------------------------------------

  /** Hears a write made through the client or a copy of it: drops that prompt if it is this scope's. */
  @Override
  public void changed(String scope, String resource, String id) {
    if ("prompt".equals(resource) && this.scope.equals(scope)) {
      invalidate(id);
    }
  }

  /**
   * Drops the prompt, its back-off and its fetch in flight (whose result is then not stored).
   *
   * @throws IllegalArgumentException if the id is null
   */
  public void invalidate(String promptId) {
    if (promptId == null) {
      throw new IllegalArgumentException("promptId must not be null: pass the id of the prompt to drop");
    }
    synchronized (lock) {
      entries.remove(promptId);
      failures.remove(promptId);
      Flight flight = flights.remove(promptId);
      if (flight != null) {
        flight.invalidated = true;
      }
    }
  }

  /** Drops every prompt, back-off and fetch in flight. */
  public void invalidateAll() {
    synchronized (lock) {
      entries.clear();
      failures.clear();
      for (Flight flight : flights.values()) {
        flight.invalidated = true;
      }
      flights.clear();
    }
  }

  /** Returns how many prompts are in memory. */
  public int size() {
    return entries.size();
  }

  /** Returns the counts so far. */
  public PromptCacheStats stats() {
    return PromptCacheStats.of(hits.sum(), staleHits.sum(), misses.sum(), refreshes.sum(), errors.sum(),
        fallbacks.sum(), evictions.sum());
  }

  /**
   * Closes: drops everything, stops hearing the client's writes and has the client forget it.
   * Idempotent. The client closing runs it too.
   */
  public void close() {
    boolean first;
    synchronized (lock) {
      first = !closed;
      closed = true;
    }
    feed.remove(this);
    invalidateAll();
    if (first) {
      onClose.run();
    }
  }

  /**
   * Fails when the cache or its client is closed.
   *
   * @throws IllegalStateException if so
   */
  public void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this prompt cache is closed; make a new one with client.promptCache(...)");
    }
    if (clientClosed.getAsBoolean()) {
      close();
      throw new IllegalStateException("the MutagenT client this prompt cache was made from is closed; "
          + "build a new client and cache");
    }
  }

  /** Returns what a future failed with, without CompletableFuture's wrapper. */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static RuntimeException asRuntime(Throwable error) {
    return error instanceof RuntimeException ? (RuntimeException) error
        : new IllegalStateException("fetching the prompt failed: " + error, error);
  }

  /** Throws any throwable unchecked: what user code or a future failed with, as it is. */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneaky(Throwable thrown) throws E {
    throw (E) thrown;
  }
}
