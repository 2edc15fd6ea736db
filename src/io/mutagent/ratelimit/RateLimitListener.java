package io.mutagent.ratelimit;

/** Told each time a call waits for the client's rate limiter (see {@link RateLimits.Builder#listener}). */
@FunctionalInterface
public interface RateLimitListener {
  /**
   * Called before the call waits. Should return quickly; if it throws, that call fails before
   * sending anything.
   */
  void onWait(RateLimitWait wait);
}
