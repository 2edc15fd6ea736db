package io.mutagent.prompts;

import io.mutagent.models.Prompt;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prompts served from memory, made by {@code Mutagent.promptCache(...)} and keyed by prompt id
 * within the workspace of the client it was made from (the API serves a prompt's latest version
 * only). A read ({@link #get}) goes down this ladder, by the age of the prompt in memory:
 *
 * <ol>
 *   <li>younger than the TTL: answered at once, {@link CachedPrompt.Freshness#FRESH};
 *   <li>up to {@code staleWhileRevalidate} past the TTL: answered at once, flagged
 *       {@link CachedPrompt#isStale() stale}, and one refresh starts in the background (one per
 *       prompt, however many threads read it; a background request for the rate limiter);
 *   <li>older, or not cached: the read waits for a fetch; concurrent reads of the same prompt
 *       share one request. If the fetch fails with a network error, timeout, 429, 5xx or an
 *       unreadable answer, the last
 *       good prompt is served, flagged stale, up to {@code maxStaleOnError}; else the caller's
 *       fallback, flagged {@link CachedPrompt#isFallback() fallback}; else the read throws.
 * </ol>
 *
 * <p>After a failed fetch, that prompt is not fetched again for 30 s, then 60 s, 120 s ... up to
 * the TTL: reads in between answer as above without a request. A 404 drops the prompt. Updates,
 * new versions and deletes made through the client this cache was made from (or a copy of it in
 * the same workspace) drop the prompt at once, and a fetch that was running then is not kept.
 *
 * <p>Thread-safe. Closing the client closes its caches: reads then throw
 * {@link IllegalStateException}.
 */
public interface PromptCache extends AutoCloseable {
  /**
   * Returns the prompt, from memory or fetched (see the ladder above).
   *
   * @throws IllegalArgumentException if the id is null or blank
   * @throws IllegalStateException if the cache or its client is closed
   * @throws io.mutagent.errors.MutagentException when nothing usable is cached and the fetch
   *     failed (or failed recently: the same exception)
   */
  CachedPrompt get(String promptId);

  /**
   * Returns the prompt as {@link #get(String)} does, or, when nothing usable is cached and the API
   * fails, a fallback made of this content ({@link PromptTemplates#fromContent}), flagged
   * {@link CachedPrompt#isFallback()}. The fallback is never cached.
   *
   * @throws IllegalArgumentException if the id is null or blank, or the content is null
   * @throws IllegalStateException if the cache or its client is closed
   */
  CachedPrompt get(String promptId, String fallbackContent);

  /**
   * Returns the prompt as {@link #get(String)} does, or, when nothing usable is cached and the API
   * fails, the prompt the supplier gives, flagged {@link CachedPrompt#isFallback()}; the supplier
   * runs only then, on the calling thread. What it throws is thrown, with the API's error added to
   * it as suppressed; the cache is not affected.
   *
   * @throws IllegalArgumentException if the id is null or blank, or the supplier is null
   * @throws IllegalStateException if the cache or its client is closed, or the supplier returned null
   */
  CachedPrompt get(String promptId, Supplier<Prompt> fallback);

  /**
   * Fetches these prompts now, all at once, and waits for them: for start-up, so that the first
   * reads are hits. Prompts already fresh are not fetched again.
   *
   * @return the prompts that could not be fetched, with why; empty when all are cached
   * @throws IllegalArgumentException if the collection or an id in it is null or blank
   * @throws IllegalStateException if the cache or its client is closed
   * @throws io.mutagent.errors.MutagentIoException if the thread is interrupted while it waits
   *     (the interrupt flag is set again)
   */
  Map<String, RuntimeException> prefetch(Collection<String> promptIds);

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

  /**
   * Closes the cache: it drops its prompts, stops hearing its client's writes, and reads throw
   * {@link IllegalStateException}. Fetches in flight end as the client's calls do. Calling it again
   * does nothing.
   */
  @Override
  void close();
}
