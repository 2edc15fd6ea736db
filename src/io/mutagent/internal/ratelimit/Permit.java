package io.mutagent.internal.ratelimit;

import org.jspecify.annotations.Nullable;

/**
 * One attempt's hold on its family's limiters: a slot of {@code maxConcurrency} and a place in its
 * window's calls in flight. Released once, with the answer or without one; a second release does
 * nothing. Internal.
 */
public final class Permit {
  private final RateLimiters limiters;
  private final @Nullable Window window;
  private boolean released; // guarded by this

  Permit(RateLimiters limiters, @Nullable Window window) {
    this.limiters = limiters;
    this.window = window;
  }

  /**
   * Releases with the answer: its rate-limit headers teach the window.
   *
   * @param retryAt a 429's Retry-After moment, epoch ms, or 0
   * @param dailyQuota whether the answer says the daily quota is spent
   */
  public void answered(okhttp3.Headers headers, int status, long retryAt, boolean dailyQuota, long now, double random) {
    if (release()) {
      limiters.release(window, headers, status, retryAt, dailyQuota, now, random);
    }
  }

  /** Releases without an answer: the attempt failed, was cancelled, or was never sent. */
  public void unanswered() {
    if (release()) {
      limiters.release(window, null, 0, 0, false, 0, 0);
    }
  }

  /** Marks the permit released; returns false if it was already. */
  private synchronized boolean release() {
    if (released) {
      return false;
    }
    released = true;
    return true;
  }
}
