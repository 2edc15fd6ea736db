package io.mutagent;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The rate-limit values of one response: the plan's limit, what is left of it, when the window
 * resets, and when to try again. Read from {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining},
 * {@code X-RateLimit-Reset} (epoch seconds), {@code Retry-After-Ms} and {@code Retry-After}
 * (seconds or an HTTP date). A header that is missing or unreadable gives an empty value. Times are
 * measured from when the response arrived. Immutable.
 */
public final class RateLimit implements Serializable {
  private static final long serialVersionUID = 1L;

  private final @Nullable Long limit;
  private final @Nullable Long remaining;
  private final @Nullable Instant reset;
  private final @Nullable Instant retryAt;

  private RateLimit(@Nullable Long limit, @Nullable Long remaining, @Nullable Instant reset,
      @Nullable Instant retryAt) {
    this.limit = limit;
    this.remaining = remaining;
    this.reset = reset;
    this.retryAt = retryAt;
  }

  /**
   * Reads the values from response headers that arrived at {@code receivedAt}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static RateLimit of(HttpHeaders headers, Instant receivedAt) {
    Long reset = number(headers, "X-RateLimit-Reset");
    @Nullable Instant resetAt = null;
    if (reset != null) {
      try {
        resetAt = Instant.ofEpochSecond(reset);
      } catch (DateTimeException outOfRange) {
        resetAt = null; // a reset past year 1000000000 is not a time
      }
    }
    return new RateLimit(number(headers, "X-RateLimit-Limit"), number(headers, "X-RateLimit-Remaining"),
        resetAt, retryAt(headers, receivedAt));
  }

  /** Returns the requests the plan allows per window. */
  public OptionalLong limit() {
    return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
  }

  /** Returns the requests left in the current window. */
  public OptionalLong remaining() {
    return remaining == null ? OptionalLong.empty() : OptionalLong.of(remaining);
  }

  /** Returns when the current window resets. */
  public Optional<Instant> reset() {
    return Optional.ofNullable(reset);
  }

  /** Returns the moment the server asked the client to wait for ({@code Retry-After-Ms} or {@code Retry-After}). */
  public Optional<Instant> retryAt() {
    return Optional.ofNullable(retryAt);
  }

  /**
   * Returns how long is still left to wait, measured now: {@code Retry-After: 30} read 20 s after
   * the response arrived gives 10 s, and zero once the moment has passed.
   */
  public Optional<Duration> retryAfter() {
    if (retryAt == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(Instant.now(), retryAt);
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }

  private static @Nullable Instant retryAt(HttpHeaders headers, Instant receivedAt) {
    Optional<String> millis = headers.first("Retry-After-Ms");
    if (millis.isPresent()) {
      try {
        double ms = Double.parseDouble(millis.get().trim());
        if (ms >= 0 && ms <= Duration.ofDays(365).toMillis()) {
          return receivedAt.plusNanos((long) (ms * 1_000_000));
        }
      } catch (NumberFormatException notMillis) {
        // fall through to Retry-After
      }
    }
    String text = headers.first("Retry-After").map(String::trim).orElse("");
    if (text.isEmpty()) {
      return null;
    }
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 || seconds > Duration.ofDays(365).getSeconds() ? null : receivedAt.plusSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return at.isBefore(receivedAt) ? receivedAt : at;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static @Nullable Long number(HttpHeaders headers, String name) {
    Optional<String> value = headers.first(name);
    if (!value.isPresent()) {
      return null;
    }
    try {
      return Long.parseLong(value.get().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "RateLimit{limit=" + limit + ", remaining=" + remaining + ", reset=" + reset + ", retryAt=" + retryAt + "}";
  }
}
