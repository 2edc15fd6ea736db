package io.mutagent.prompts;

import io.mutagent.models.Prompt;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The asynchronous form of {@link PromptCache}, made by {@code AsyncMutagent.promptCache(...)}:
 * the same ladder, counts and invalidation, with reads that return futures. A hit returns a
 * completed future; a miss's future completes on the SDK's dispatcher threads when the shared
 * fetch ends (by the client's call deadline); cancelling one caller's future leaves the fetch
 * running for the others. No thread waits per read.
 *
 * <p>Thread-safe. Closing the client closes its caches: reads then fail with
 * {@link IllegalStateException}.
 */
public interface AsyncPromptCache extends AutoCloseable {
  /**
   * Returns a future of the prompt, from memory or fetched (see {@link PromptCache}). It fails with
   * the fetch's {@link io.mutagent.errors.MutagentException} when nothing usable is cached, with
   * {@link IllegalStateException} once the cache or client is closed, and with
   * {@link IllegalArgumentException} for a null or blank id.
   */
  CompletableFuture<CachedPrompt> get(String promptId);

  /**
   * Returns a future of the prompt, or of a fallback made of this content when nothing usable is
   * cached and the API fails (see {@link PromptCache#get(String, String)}).
   */
  CompletableFuture<CachedPrompt> get(String promptId, String fallbackContent);

  /**
   * Returns a future of the prompt, or of the supplier's prompt when nothing usable is cached and
   * the API fails (see {@link PromptCache#get(String, Supplier)}). The supplier runs on the thread
   * that completes the fetch (an SDK dispatcher thread) or the caller's; what it throws fails this
   * future only, with the API's error added to it as suppressed.
   */
  CompletableFuture<CachedPrompt> get(String promptId, Supplier<Prompt> fallback);

  /**
   * Fetches these prompts now, all at once (see {@link PromptCache#prefetch}); the future gives the
   * prompts that could not be fetched, with why, and never fails but for invalid arguments or a
   * closed cache.
   */
  CompletableFuture<Map<String, RuntimeException>> prefetch(Collection<String> promptIds);

  /**
   * Drops the prompt from memory; the next read fetches it.
   *
   * @throws IllegalArgumentException if the id is null
   */
  void invalidate(String promptId);

  /** Drops every prompt from memory. */
  void invalidateAll();

  /** Returns how many prompts are in memory. */
  int size();

  /** Returns the counts of hits, misses, refreshes, errors, fallbacks and evictions so far. */
  PromptCacheStats stats();

  /** Returns the options the cache was made with. */
  PromptCacheOptions options();

  /** Closes the cache, as {@link PromptCache#close()} does. Calling it again does nothing. */
  @Override
  void close();
}
