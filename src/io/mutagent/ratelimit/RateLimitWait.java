package io.mutagent.ratelimit;

import java.time.Duration;

/** One wait of one call for the rate limiter: which call, how long, why. Immutable. */
public final class RateLimitWait {
  private final String operation;
  private final Duration delay;
  private final String reason;
  private final boolean background;

  /**
   * Creates the value; the client does this.
   *
   * @param operation the call's method and path, e.g. {@code GET /api/prompt/prm_1}
   * @param delay how long the call waits at most before it looks again
   * @param reason why, in words
   * @param background whether the call is background work
   */
  public RateLimitWait(String operation, Duration delay, String reason, boolean background) {
    this.operation = operation;
    this.delay = delay;
    this.reason = reason;
    this.background = background;
  }

  /** Returns the call's method and path, e.g. {@code GET /api/prompt/prm_1}. */
  public String operation() {
    return operation;
  }

  /** Returns how long the call waits at most before it looks again (it may go sooner). */
  public Duration delay() {
    return delay;
  }

  /** Returns why the call waits, in words. */
  public String reason() {
    return reason;
  }

  /** Returns whether the call is background work (it may not use the reserve). */
  public boolean background() {
    return background;
  }

  @Override
  public String toString() {
    return operation + " waits " + delay.toMillis() + " ms: " + reason;
  }
}
