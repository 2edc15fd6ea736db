package io.mutagent.ratelimit;

import org.jspecify.annotations.Nullable;

/**
 * How a client stays inside the plan's limits, set with {@code ClientBuilder.rateLimits(...)}.
 * Immutable.
 *
 * <p>By default ({@link #defaults()}) the client learns its window from each response's
 * {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} headers, and a call that the
 * window has no room for waits for the reset (within its own timeout) instead of collecting a
 * 429. It never waits unless the server's headers say so. The plan settings add what the headers
 * cannot say: {@link Builder#requestsPerMinute} paces the calls made before the first response,
 * {@link Builder#dailyBudget} counts every request sent per UTC day and refuses calls once it is
 * spent. Part of each window and of the daily budget ({@link Builder#backgroundReserve}, 10%) is
 * kept from background work (the SDK's own polling, refreshes, batches, bulk chunks, and calls
 * marked {@code RequestOptions.background(true)}) for the application's other calls.
 */
public final class RateLimits {
  private static final RateLimits DEFAULTS = builder().build();
  private static final RateLimits OFF = builder().enabled(false).build();

  private final boolean enabled;
  private final int requestsPerMinute;
  private final int dailyBudget;
  private final double backgroundReserve;
  private final @Nullable RateLimitListener listener;

  private RateLimits(Builder builder) {
    this.enabled = builder.enabled;
    this.requestsPerMinute = builder.requestsPerMinute;
    this.dailyBudget = builder.dailyBudget;
    this.backgroundReserve = builder.backgroundReserve;
    this.listener = builder.listener;
  }

  /** Returns the default: learn the window from the headers, no plan settings, a 10% reserve. */
  public static RateLimits defaults() {
    return DEFAULTS;
  }

  /**
   * Returns the settings that turn the client-side limiter off: every call is sent at once, and
   * a 429 is handled by the retry rule alone (the server's quota answers still end calls with
   * {@link io.mutagent.errors.QuotaExceededException}).
   */
  public static RateLimits off() {
    return OFF;
  }

  /** Returns the Free plan's settings: 60 requests per minute, a budget of 1,000 a day. */
  public static RateLimits freePlan() {
    return builder().requestsPerMinute(60).dailyBudget(1_000).build();
  }

  /** Returns the Pro plan's settings: 300 requests per minute, a budget of 10,000 a day. */
  public static RateLimits proPlan() {
    return builder().requestsPerMinute(300).dailyBudget(10_000).build();
  }

  /** Returns a builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder starting from these settings. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.enabled = enabled;
    builder.requestsPerMinute = requestsPerMinute;
    builder.dailyBudget = dailyBudget;
    builder.backgroundReserve = backgroundReserve;
    builder.listener = listener;
    return builder;
  }

  /** Returns whether the client-side limiter is on. */
  public boolean enabled() {
    return enabled;
  }

  /** Returns the requests per minute allowed before the first response, or 0 for no pacing then. */
  public int requestsPerMinute() {
    return requestsPerMinute;
  }

  /** Returns the requests allowed per UTC day, or 0 for no daily budget. */
  public int dailyBudget() {
    return dailyBudget;
  }

  /** Returns the share of each window and of the daily budget that background work leaves. */
  public double backgroundReserve() {
    return backgroundReserve;
  }

  /** Returns the listener told of each wait, or null. */
  public @Nullable RateLimitListener listener() {
    return listener;
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "RateLimits{off}";
    }
    return "RateLimits{" + (requestsPerMinute > 0 ? "requestsPerMinute=" + requestsPerMinute + ", " : "")
        + (dailyBudget > 0 ? "dailyBudget=" + dailyBudget + ", " : "")
        + "backgroundReserve=" + backgroundReserve + (listener != null ? ", listener" : "") + "}";
  }

  /** Builds {@link RateLimits}. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private int requestsPerMinute;
    private int dailyBudget;
    private double backgroundReserve = 0.10;
    private @Nullable RateLimitListener listener;

    private Builder() {}

    /** Turns the client-side limiter on (the default) or off. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /**
     * Paces the calls made before the first response (which carries the window) to this many a
     * minute; 0 (the default) sends them at once. Once the server's headers are known they rule.
     *
     * @throws IllegalArgumentException if it is negative or above 1,000,000
     */
    public Builder requestsPerMinute(int requestsPerMinute) {
      if (requestsPerMinute < 0 || requestsPerMinute > 1_000_000) {
        throw new IllegalArgumentException("requestsPerMinute must be 0 (none) to 1000000, got "
            + requestsPerMinute + "; the Free plan allows 60, Pro 300");
      }
      this.requestsPerMinute = requestsPerMinute;
      return this;
    }

    /**
     * Sets the requests the client may send per UTC day, every attempt counted (retries and the
     * SDK's own polling included); 0 (the default) sets none. Once it is spent, calls fail at
     * once with {@link io.mutagent.errors.QuotaExceededException} until 00:00 UTC, nothing sent.
     * The count is this client's (and its copies'): other processes with the same key are not
     * in it, so leave room for them.
     *
     * @throws IllegalArgumentException if it is negative
     */
    public Builder dailyBudget(int dailyBudget) {
      if (dailyBudget < 0) {
        throw new IllegalArgumentException("dailyBudget must be 0 (none) or more, got " + dailyBudget
            + "; the Free plan allows 1000 a day, Pro 10000");
      }
      this.dailyBudget = dailyBudget;
      return this;
    }

    /**
     * Sets the share of each window and of the daily budget that background work leaves to the
     * application's other calls (default 0.10: with a window of 60, background work stops at 6
     * left).
     *
     * @throws IllegalArgumentException if it is not between 0 and 0.9
     */
    public Builder backgroundReserve(double backgroundReserve) {
      if (!(backgroundReserve >= 0 && backgroundReserve <= 0.9)) {
        throw new IllegalArgumentException("backgroundReserve must be between 0 and 0.9 (a share), got "
            + backgroundReserve + "; 0.1 keeps 10% for the application's own calls");
      }
      this.backgroundReserve = backgroundReserve;
      return this;
    }

    /**
     * Sets a listener told each time a call waits for the limiter, before it waits, on the thread
     * of that call (async: the thread that starts the attempt). If it throws, that call fails
     * with a {@link io.mutagent.errors.MutagentException} and nothing is sent; others go on.
     */
    public Builder listener(@Nullable RateLimitListener listener) {
      this.listener = listener;
      return this;
    }

    /** Returns the settings. */
    public RateLimits build() {
      return new RateLimits(this);
    }
  }
}
