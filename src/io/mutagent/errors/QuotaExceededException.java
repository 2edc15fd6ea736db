package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import io.mutagent.models.ErrorBody;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The plan's quota is spent until {@link #renewsAt()}: the server answered 429
 * {@code daily_quota_exceeded} (or a 429 whose {@code Retry-After} is longer than the client
 * waits), or the client refused the call before sending it because the server had said so
 * earlier or its own {@code RateLimits.dailyBudget} is spent ({@link #sent()} is then false).
 * Never retried: waiting would take hours. Catch this one type for "the quota is spent".
 */
public class QuotaExceededException extends RateLimitException {
  private static final long serialVersionUID = 1L;

  private final Instant renewsAt;

  /**
   * Creates the exception.
   *
   * @param renewsAt when the quota renews (00:00 UTC for the daily quota)
   * @param sent whether this request reached the server (false: refused before sending)
   */
  public QuotaExceededException(String message, HttpHeaders headers, @Nullable ErrorBody body,
      @Nullable String rawBody, @Nullable String requestId, Instant renewsAt, boolean sent) {
    super(message, headers, body, rawBody, requestId, sent);
    this.renewsAt = renewsAt;
  }

  /** Returns when the quota renews: the call can succeed again from then on. */
  public Instant renewsAt() {
    return renewsAt;
  }
}
