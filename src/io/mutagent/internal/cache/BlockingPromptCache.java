package io.mutagent.internal.cache;

import io.mutagent.models.Prompt;
import io.mutagent.prompts.CachedPrompt;
import io.mutagent.prompts.PromptCache;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The blocking {@link PromptCache}: reads wait on the caller's thread for a shared fetch. Internal. */
public final class BlockingPromptCache extends EngineCache implements PromptCache {
  /** Creates the cache over its engine. */
  public BlockingPromptCache(PromptCacheEngine engine) {
    super(engine, "PromptCache");
  }

  @Override
  public CachedPrompt get(String promptId) {
    return read(promptId, null);
  }

  @Override
  public CachedPrompt get(String promptId, String fallbackContent) {
    if (fallbackContent != null) { // a hit makes no fallback: it allocates nothing
      CachedPrompt answer = engine.answerAtOnce(promptId);
      if (answer != null) {
        return answer;
      }
    }
    return read(promptId, PromptCacheEngine.contentFallback(fallbackContent));
  }

  @Override
  public CachedPrompt get(String promptId, Supplier<Prompt> fallback) {
    if (fallback == null) {
      throw new IllegalArgumentException("fallback must not be null: pass a supplier of the prompt to fall back on");
    }
    return read(promptId, fallback);
  }

  private CachedPrompt read(String promptId, @Nullable Supplier<Prompt> fallback) {
    CachedPrompt answer = engine.answerAtOnce(promptId);
    if (answer != null) {
      return answer;
    }
    answer = engine.answerWhileBackingOff(promptId, fallback);
    if (answer != null) {
      return answer;
    }
    CompletableFuture<PromptCacheEngine.Entry> fetch = engine.miss(promptId);
    try {
      return fetch.get().fresh;
    } catch (ExecutionException e) {
      return engine.afterFailure(promptId, e.getCause() == null ? e : e.getCause(), fallback);
    } catch (InterruptedException e) {
      throw PromptCacheEngine.interrupted(promptId, e);
    }
  }

  @Override
  public Map<String, RuntimeException> prefetch(Collection<String> promptIds) {
    CompletableFuture<Map<String, RuntimeException>> all = engine.prefetch(promptIds);
    try {
      return all.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("prefetch failed", e.getCause()); // never: its future does not fail
    } catch (InterruptedException e) {
      throw PromptCacheEngine.interrupted(String.join(", ", promptIds), e);
    }
  }
}
