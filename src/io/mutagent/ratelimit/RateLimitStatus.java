package io.mutagent.ratelimit;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What a client's rate limiter knows of the window its credential draws on, at one moment
 * ({@code client.rateLimitStatus()}): the server's last figures, the calls waiting and in
 * flight, and the requests counted today. Immutable.
 */
public final class RateLimitStatus {
  private final boolean enabled;
  private final long limit;
  private final long remaining;
  private final @Nullable Instant reset;
  private final int waiting;
  private final int inFlight;
  private final long usedToday;
  private final long dailyBudget;
  private final @Nullable Instant quotaRenewsAt;

  /**
   * Creates the snapshot; the client does this.
   *
   * @param limit the window's limit, or -1 when no response has said it yet
   * @param remaining what is left of the window, or -1 when unknown
   * @param reset when the window resets, or null when unknown
   * @param dailyBudget the daily budget, or 0 for none
   * @param quotaRenewsAt when a spent daily quota renews, or null when it is not spent
   */
  public RateLimitStatus(boolean enabled, long limit, long remaining, @Nullable Instant reset, int waiting,
      int inFlight, long usedToday, long dailyBudget, @Nullable Instant quotaRenewsAt) {
    this.enabled = enabled;
    this.limit = limit;
    this.remaining = remaining;
    this.reset = reset;
    this.waiting = waiting;
    this.inFlight = inFlight;
    this.usedToday = usedToday;
    this.dailyBudget = dailyBudget;
    this.quotaRenewsAt = quotaRenewsAt;
  }

  /** Returns whether the client-side limiter is on. */
  public boolean enabled() {
    return enabled;
  }

  /** Returns the requests per window, as the server last said ({@code X-RateLimit-Limit}). */
  public OptionalLong limit() {
    return limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit);
  }

  /**
   * Returns the requests left in the window as the limiter sees it: the server's last
   * {@code X-RateLimit-Remaining}, or the limit once the window has reset.
   */
  public OptionalLong remaining() {
    return remaining < 0 ? OptionalLong.empty() : OptionalLong.of(remaining);
  }

  /** Returns when the window resets ({@code X-RateLimit-Reset}). */
  public Optional<Instant> reset() {
    return Optional.ofNullable(reset);
  }

  /** Returns the calls waiting for the limiter now. */
  public int waiting() {
    return waiting;
  }

  /** Returns the calls sent and not yet answered. */
  public int inFlight() {
    return inFlight;
  }

  /** Returns the requests sent today (UTC) on this credential by this client and its copies. */
  public long usedToday() {
    return usedToday;
  }

  /** Returns the daily budget set in {@link RateLimits}. */
  public OptionalLong dailyBudget() {
    return dailyBudget <= 0 ? OptionalLong.empty() : OptionalLong.of(dailyBudget);
  }

  /** Returns when the spent daily quota renews, when it is spent (by the budget or the server's word). */
  public Optional<Instant> quotaRenewsAt() {
    return Optional.ofNullable(quotaRenewsAt);
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "RateLimitStatus{off}";
    }
    return "RateLimitStatus{limit=" + (limit < 0 ? "unknown" : limit) + ", remaining="
        + (remaining < 0 ? "unknown" : remaining) + ", reset=" + reset + ", waiting=" + waiting
        + ", inFlight=" + inFlight + ", usedToday=" + usedToday
        + (dailyBudget > 0 ? " of " + dailyBudget : "")
        + (quotaRenewsAt != null ? ", quota spent until " + quotaRenewsAt : "") + "}";
  }
}
