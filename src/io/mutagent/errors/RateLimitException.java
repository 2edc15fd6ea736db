package io.mutagent.errors;

import io.mutagent.models.ErrorBody;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import okhttp3.Headers;

/**
 * HTTP 429: the plan's rate limit was reached. Says when to try again ({@link #retryAfter()}) and
 * what the limits are ({@code X-RateLimit-*} headers).
 */
public class RateLimitException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers 429. */
  public RateLimitException(String message, Headers headers, ErrorBody body, String requestId) {
    super(message, 429, headers, body, requestId);
  }

  /**
   * Returns how long to wait before retrying, from {@code Retry-After} (seconds or an HTTP date);
   * empty when the header is missing or unreadable.
   */
  public Optional<Duration> retryAfter() {
    return parseRetryAfter(headers().get("Retry-After"), Instant.now());
  }

  /** Returns the requests allowed per window ({@code X-RateLimit-Limit}). */
  public OptionalLong limit() {
    return number("X-RateLimit-Limit");
  }

  /** Returns the requests left in the window ({@code X-RateLimit-Remaining}). */
  public OptionalLong remaining() {
    return number("X-RateLimit-Remaining");
  }

  /** Returns when the window resets ({@code X-RateLimit-Reset}, epoch seconds). */
  public Optional<Instant> reset() {
    OptionalLong seconds = number("X-RateLimit-Reset");
    return seconds.isPresent() ? Optional.of(Instant.ofEpochSecond(seconds.getAsLong())) : Optional.empty();
  }

  private OptionalLong number(String header) {
    String value = headers().get(header);
    try {
      return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Reads a Retry-After value: delta seconds, or an HTTP date relative to {@code now}. */
  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    if (value == null || value.trim().isEmpty()) {
      return Optional.empty();
    }
    String text = value.trim();
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(now, at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
