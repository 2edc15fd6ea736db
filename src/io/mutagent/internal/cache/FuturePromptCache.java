package io.mutagent.internal.cache;

import io.mutagent.models.Prompt;
import io.mutagent.prompts.AsyncPromptCache;
import io.mutagent.prompts.CachedPrompt;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link AsyncPromptCache}: a hit is a completed future; a miss's future is a stage of the
 * shared fetch, completed on the thread that completes it (an SDK dispatcher thread). Internal.
 */
public final class FuturePromptCache extends EngineCache implements AsyncPromptCache {

  /** Creates the cache over its engine. */
  public FuturePromptCache(PromptCacheEngine engine) {
    super(engine, "AsyncPromptCache");
  }

  @Override
  public CompletableFuture<CachedPrompt> get(String promptId) {
    return read(promptId, null);
  }

  @Override
  public CompletableFuture<CachedPrompt> get(String promptId, String fallbackContent) {
    try {
      return read(promptId, PromptCacheEngine.contentFallback(fallbackContent));
    } catch (IllegalArgumentException invalid) {
      return CompletableFuture.failedFuture(invalid);
    }
  }

  @Override
  public CompletableFuture<CachedPrompt> get(String promptId, Supplier<Prompt> fallback) {
    if (fallback == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "fallback must not be null: pass a supplier of the prompt to fall back on"));
    }
    return read(promptId, fallback);
  }

  private CompletableFuture<CachedPrompt> read(String promptId, @Nullable Supplier<Prompt> fallback) {
    CompletableFuture<PromptCacheEngine.Entry> fetch;
    try {
      CachedPrompt answer = engine.answerAtOnce(promptId);
      if (answer != null) {
        return CompletableFuture.completedFuture(answer);
      }
      answer = engine.answerWhileBackingOff(promptId, fallback);
      if (answer != null) {
        return CompletableFuture.completedFuture(answer);
      }
      fetch = engine.miss(promptId);
    } catch (Throwable failure) { // invalid, closed, or what the fallback supplier threw: this read's future only
      return CompletableFuture.failedFuture(failure);
    }
    // A stage of its own per read: cancelling it leaves the shared fetch running for the others.
    return fetch.handle((entry, failure) -> failure == null ? entry.fresh
        : engine.afterFailure(promptId, failure, fallback));
  }

  @Override
  public CompletableFuture<Map<String, RuntimeException>> prefetch(Collection<String> promptIds) {
    try {
      return engine.prefetch(promptIds);
    } catch (RuntimeException invalid) {
      return CompletableFuture.failedFuture(invalid);
    }
  }
}
