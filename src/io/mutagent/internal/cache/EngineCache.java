package io.mutagent.internal.cache;

import io.mutagent.prompts.PromptCacheOptions;
import io.mutagent.prompts.PromptCacheStats;

/**
 * What the blocking and the async prompt cache share: the calls that hand straight to their
 * {@link PromptCacheEngine}, and the description. The subclasses add the reads, in their form.
 * Internal.
 */
abstract class EngineCache {
  final PromptCacheEngine engine;
  private final String name;

  EngineCache(PromptCacheEngine engine, String name) {
    this.engine = engine;
    this.name = name;
  }

  /** Drops one prompt from memory. */
  public void invalidate(String promptId) {
    engine.invalidate(promptId);
  }

  /** Drops every prompt from memory. */
  public void invalidateAll() {
    engine.invalidateAll();
  }

  /** Returns how many prompts are in memory. */
  public int size() {
    return engine.size();
  }

  /** Returns the counts. */
  public PromptCacheStats stats() {
    return engine.stats();
  }

  /** Returns the options. */
  public PromptCacheOptions options() {
    return engine.options();
  }

  /** Closes the cache. */
  public void close() {
    engine.close();
  }

  /** Describes the cache: options, size and counts. */
  @Override
  public String toString() {
    return name + "{" + engine.options() + ", size=" + engine.size() + ", " + engine.stats() + "}";
  }
}
