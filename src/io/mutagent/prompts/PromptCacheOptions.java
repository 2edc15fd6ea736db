package io.mutagent.prompts;

import java.time.Duration;

/**
 * How a prompt cache keeps prompts: how long one is fresh ({@link Builder#ttl}, 10 minutes), how
 * long past that a read still answers at once while one refresh runs in the background
 * ({@link Builder#staleWhileRevalidate}, 1 hour), how old a prompt may be served when fetching it
 * fails ({@link Builder#maxStaleOnError}, 24 hours), and how many prompts it holds
 * ({@link Builder#maximumSize}, 1,000). Immutable.
 *
 * <p>Quota: a prompt costs at most one request per {@code ttl} while the API answers, however many
 * reads it serves: with the defaults, at most 86,400 s / 600 s = 144 requests a day per prompt
 * read all day.
 */
public final class PromptCacheOptions {
  /** The default time a prompt is fresh: 10 minutes. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
  /** The default time past the TTL a read still answers at once and refreshes in the background: 1 hour. */
  public static final Duration DEFAULT_STALE_WHILE_REVALIDATE = Duration.ofHours(1);
  /** The default age up to which a prompt is served when fetching it fails: 24 hours. */
  public static final Duration DEFAULT_MAX_STALE_ON_ERROR = Duration.ofHours(24);
  /** The default number of prompts a cache holds: 1,000. */
  public static final int DEFAULT_MAXIMUM_SIZE = 1_000;

  private static final PromptCacheOptions DEFAULTS = builder().build();

  private final Duration ttl;
  private final Duration staleWhileRevalidate;
  private final Duration maxStaleOnError;
  private final int maximumSize;

  private PromptCacheOptions(Builder builder) {
    this.ttl = builder.ttl;
    this.staleWhileRevalidate = builder.staleWhileRevalidate;
    this.maxStaleOnError = builder.maxStaleOnError;
    this.maximumSize = builder.maximumSize;
  }

  /** Returns the default options. */
  public static PromptCacheOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding these options. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.ttl = ttl;
    builder.staleWhileRevalidate = staleWhileRevalidate;
    builder.maxStaleOnError = maxStaleOnError;
    builder.maximumSize = maximumSize;
    return builder;
  }

  /** Returns how long a fetched prompt is fresh. */
  public Duration ttl() {
    return ttl;
  }

  /** Returns how long past the TTL a read answers at once with the stale prompt and refreshes it in the background. */
  public Duration staleWhileRevalidate() {
    return staleWhileRevalidate;
  }

  /** Returns the age up to which a prompt is still served when fetching it fails. */
  public Duration maxStaleOnError() {
    return maxStaleOnError;
  }

  /** Returns the most prompts the cache holds; past it, the one read least recently goes. */
  public int maximumSize() {
    return maximumSize;
  }

  /** Describes the options. */
  @Override
  public String toString() {
    return "PromptCacheOptions{ttl=" + ttl + ", staleWhileRevalidate=" + staleWhileRevalidate
        + ", maxStaleOnError=" + maxStaleOnError + ", maximumSize=" + maximumSize + "}";
  }

  /** Builds {@link PromptCacheOptions}; every option has a default. */
  public static final class Builder {
    private Duration ttl = DEFAULT_TTL;
    private Duration staleWhileRevalidate = DEFAULT_STALE_WHILE_REVALIDATE;
    private Duration maxStaleOnError = DEFAULT_MAX_STALE_ON_ERROR;
    private int maximumSize = DEFAULT_MAXIMUM_SIZE;

    private Builder() {}

    /**
     * Sets how long a fetched prompt is fresh (default 10 minutes): reads answer from memory with
     * no request. Each prompt costs at most one request per TTL while the API answers.
     *
     * @throws IllegalArgumentException if it is null, zero or negative
     */
    public Builder ttl(Duration ttl) {
      this.ttl = positive("ttl", ttl, "e.g. Duration.ofMinutes(10)");
      return this;
    }

    /**
     * Sets how long past the TTL a read still answers at once with the stale prompt while one
     * refresh runs in the background (default 1 hour); a read of an older prompt waits for a fetch.
     * Zero makes every read past the TTL wait.
     *
     * @throws IllegalArgumentException if it is null or negative
     */
    public Builder staleWhileRevalidate(Duration staleWhileRevalidate) {
      this.staleWhileRevalidate = notNegative("staleWhileRevalidate", staleWhileRevalidate, "e.g. Duration.ofHours(1)");
      return this;
    }

    /**
     * Sets the age up to which the last good prompt is served, flagged stale, when fetching it
     * fails with a network error, a timeout, a 429, a 5xx or an unreadable answer (default 24 hours). Zero never serves
     * a prompt past its staleWhileRevalidate window after an error.
     *
     * @throws IllegalArgumentException if it is null or negative
     */
    public Builder maxStaleOnError(Duration maxStaleOnError) {
      this.maxStaleOnError = notNegative("maxStaleOnError", maxStaleOnError, "e.g. Duration.ofHours(24)");
      return this;
    }

    /**
     * Sets the most prompts the cache holds (default 1,000); past it, the prompt read least
     * recently is dropped.
     *
     * @throws IllegalArgumentException if it is below 1
     */
    public Builder maximumSize(int maximumSize) {
      if (maximumSize < 1) {
        throw new IllegalArgumentException("maximumSize is " + maximumSize + "; pass at least 1 (e.g. 1000)");
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /** Returns the options. */
    public PromptCacheOptions build() {
      return new PromptCacheOptions(this);
    }

    private static Duration positive(String name, Duration value, String example) {
      notNegative(name, value, example);
      if (value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: pass " + example);
      }
      return value;
    }

    private static Duration notNegative(String name, Duration value, String example) {
      if (value == null) {
        throw new IllegalArgumentException(name + " must not be null: pass " + example);
      }
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative (got " + value + "): pass " + example);
      }
      return value;
    }
  }
}
