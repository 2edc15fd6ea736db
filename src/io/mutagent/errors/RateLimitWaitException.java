package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The client's rate limiter refused the call before sending it: the window it draws on has no
 * room before the call's deadline (its timeout), so waiting would only have ended in a timeout.
 * Nothing was sent ({@link #sent()} is false). {@link #retryAfter()} says when the window has
 * room again; a longer timeout ({@code RequestOptions.timeout}) lets the call wait for it.
 */
public class RateLimitWaitException extends RateLimitException {
  private static final long serialVersionUID = 1L;

  private final Instant roomAt;

  /**
   * Creates the exception.
   *
   * @param roomAt when the limiter expects the window to have room again
   */
  public RateLimitWaitException(String message, Instant roomAt) {
    super(message, HttpHeaders.empty(), null, null, null, false);
    this.roomAt = roomAt;
  }

  /** Returns how long is still left, measured now, until the window is expected to have room. */
  @Override
  public Optional<Duration> retryAfter() {
    Duration left = Duration.between(Instant.now(), roomAt);
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }
}
