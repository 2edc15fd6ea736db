package io.mutagent.prompts;

/**
 * Counts of a prompt cache since it was made. Immutable; {@link PromptCache#stats()} takes a new one.
 */
public final class PromptCacheStats {
  private final long hits;
  private final long staleHits;
  private final long misses;
  private final long refreshes;
  private final long errors;
  private final long fallbacks;
  private final long evictions;

  private PromptCacheStats(long hits, long staleHits, long misses, long refreshes, long errors, long fallbacks,
      long evictions) {
    this.hits = hits;
    this.staleHits = staleHits;
    this.misses = misses;
    this.refreshes = refreshes;
    this.errors = errors;
    this.fallbacks = fallbacks;
    this.evictions = evictions;
  }

  /**
   * Returns counts; the caches make these, and a test double of {@link PromptCache} can too.
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public static PromptCacheStats of(long hits, long staleHits, long misses, long refreshes, long errors,
      long fallbacks, long evictions) {
    if (hits < 0 || staleHits < 0 || misses < 0 || refreshes < 0 || errors < 0 || fallbacks < 0 || evictions < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    return new PromptCacheStats(hits, staleHits, misses, refreshes, errors, fallbacks, evictions);
  }

  /** Returns the reads answered from memory at once, fresh or stale. */
  public long hits() {
    return hits;
  }

  /** Returns the reads answered at once with a stale prompt (part of {@link #hits()}). */
  public long staleHits() {
    return staleHits;
  }

  /** Returns the reads that found nothing usable in memory and waited for a fetch (or its failure). */
  public long misses() {
    return misses;
  }

  /** Returns the background refreshes started (one request each). */
  public long refreshes() {
    return refreshes;
  }

  /** Returns the fetches that failed, refreshes included. */
  public long errors() {
    return errors;
  }

  /** Returns the reads answered with the caller's fallback. */
  public long fallbacks() {
    return fallbacks;
  }

  /** Returns the prompts dropped because the cache was full. */
  public long evictions() {
    return evictions;
  }

  /** Describes the counts. */
  @Override
  public String toString() {
    return "PromptCacheStats{hits=" + hits + ", staleHits=" + staleHits + ", misses=" + misses + ", refreshes="
        + refreshes + ", errors=" + errors + ", fallbacks=" + fallbacks + ", evictions=" + evictions + "}";
  }
}
