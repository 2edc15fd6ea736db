package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import io.mutagent.models.ErrorBody;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * HTTP 429: the plan's rate limit was reached, or the client's limiter refused the call before
 * sending it ({@link #sent()} says which). Subclasses: {@link QuotaExceededException} (the daily
 * quota is spent), {@link RateLimitWaitException} (the window had no room before the call's
 * deadline). Says when to try again ({@link #retryAfter()}) and
 * what the limits are ({@code X-RateLimit-*} headers). The client has already retried as its
 * {@code maxRetries} allows, unless the server asked for a wait longer than 60 seconds.
 */
public class RateLimitException extends MutagentApiException {
  private static final long serialVersionUID = 2L;

  private final boolean sent;

  /** Creates the exception; the client does this when the API answers 429. */
  public RateLimitException(String message, HttpHeaders headers, @Nullable ErrorBody body, @Nullable String rawBody, @Nullable String requestId) {
    this(message, headers, body, rawBody, requestId, true);
  }

  /**
   * Creates the exception, saying whether the request was sent: false when the client's rate
   * limiter refused the call before sending it (then {@link #statusCode()} is 429, the status the
   * server would have answered, and the headers are empty).
   */
  protected RateLimitException(String message, HttpHeaders headers, @Nullable ErrorBody body,
      @Nullable String rawBody, @Nullable String requestId, boolean sent) {
    super(message, 429, headers, body, rawBody, requestId);
    this.sent = sent;
  }

  /**
   * Returns whether the request reached the server: true for the server's 429, false when the
   * client's rate limiter refused the call before sending anything.
   */
  public boolean sent() {
    return sent;
  }

  /**
   * Returns how long is still left to wait before retrying, measured now from when the response
   * arrived ({@code Retry-After-Ms}, or {@code Retry-After} in seconds or as an HTTP date); empty
   * when the server sent neither or it was unreadable.
   */
  public Optional<Duration> retryAfter() {
    return rateLimit().retryAfter();
  }

  /** Returns the requests allowed per window ({@code X-RateLimit-Limit}). */
  public OptionalLong limit() {
    return rateLimit().limit();
  }

  /** Returns the requests left in the window ({@code X-RateLimit-Remaining}). */
  public OptionalLong remaining() {
    return rateLimit().remaining();
  }

  /** Returns when the window resets ({@code X-RateLimit-Reset}, epoch seconds). */
  public Optional<Instant> reset() {
    return rateLimit().reset();
  }
}
