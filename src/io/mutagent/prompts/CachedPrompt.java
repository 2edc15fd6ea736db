package io.mutagent.prompts;

import io.mutagent.models.Prompt;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A prompt cache's answer: the prompt, and where it came from ({@link #freshness()}): fetched
 * within the TTL, served stale (past the TTL, or after a failed fetch), or a fallback the caller
 * gave because nothing usable was cached and the API failed. Immutable.
 */
public final class CachedPrompt {
  /** Where a cached answer came from. */
  public enum Freshness {
    /** Fetched within the TTL. */
    FRESH,
    /** Fetched earlier: past the TTL (a refresh runs in the background) or kept after a failed fetch. */
    STALE,
    /** The caller's fallback: nothing usable was cached and fetching failed. Never cached. */
    FALLBACK
  }

  private final Prompt prompt;
  private final Freshness freshness;
  private final @Nullable Instant fetchedAt;
  private final @Nullable RuntimeException error;

  private CachedPrompt(Prompt prompt, Freshness freshness, @Nullable Instant fetchedAt, @Nullable RuntimeException error) {
    this.prompt = prompt;
    this.freshness = freshness;
    this.fetchedAt = fetchedAt;
    this.error = error;
  }

  /**
   * Returns an answer; the caches make these, and a test double of {@link PromptCache} can too.
   *
   * @param fetchedAt when the prompt was fetched; null for a fallback
   * @param error the failed fetch that made this answer stale or a fallback, or null
   * @throws IllegalArgumentException if prompt or freshness is null
   */
  public static CachedPrompt of(Prompt prompt, Freshness freshness, @Nullable Instant fetchedAt,
      @Nullable RuntimeException error) {
    if (prompt == null || freshness == null) {
      throw new IllegalArgumentException("prompt and freshness must not be null");
    }
    return new CachedPrompt(prompt, freshness, fetchedAt, error);
  }

  /** Returns the prompt. */
  public Prompt prompt() {
    return prompt;
  }

  /** Returns where the answer came from. */
  public Freshness freshness() {
    return freshness;
  }

  /** Returns whether the prompt was fetched longer than the TTL ago. */
  public boolean isStale() {
    return freshness == Freshness.STALE;
  }

  /** Returns whether this is the caller's fallback, not a prompt from the API. */
  public boolean isFallback() {
    return freshness == Freshness.FALLBACK;
  }

  /** Returns when the prompt was fetched (the client's clock); empty for a fallback. */
  public Optional<Instant> fetchedAt() {
    return Optional.ofNullable(fetchedAt);
  }

  /** Returns the failed fetch behind a stale answer or a fallback; empty otherwise. */
  public Optional<RuntimeException> error() {
    return Optional.ofNullable(error);
  }

  /**
   * Fills the prompt with the values: {@link PromptTemplates#fill(Prompt, Map)}.
   *
   * @throws IllegalArgumentException if a required variable with no default has no value (the
   *     message names it), or a value is null
   */
  public FilledPrompt fill(Map<String, String> values) {
    return PromptTemplates.fill(prompt, values);
  }

  /** Describes the answer: freshness, prompt id when it has one, fetch time and error class. */
  @Override
  public String toString() {
    return "CachedPrompt{" + freshness + ", prompt=" + prompt.rawJson("id").map(Object::toString).orElse("(none)")
        + (fetchedAt != null ? ", fetchedAt=" + fetchedAt : "")
        + (error != null ? ", error=" + error.getClass().getSimpleName() : "") + "}";
  }
}
