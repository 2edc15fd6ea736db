package io.mutagent.internal.cache;

import io.mutagent.errors.MutagentApiException;
import io.mutagent.errors.MutagentException;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.errors.MutagentIoException;
import io.mutagent.errors.MutagentTimeoutException;
import io.mutagent.errors.QuotaExceededException;
import io.mutagent.errors.RateLimitWaitException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Makes the exception a prompt cache read throws from a failure it stored or shares with other
 * readers: a new exception of the same class, message and details (status, headers, body, request
 * id, rate-limit values) whose cause is the stored one, so that each read's stack trace is its own
 * and no two callers hold the same mutable exception (suppressed exceptions, causes). Internal.
 */
final class Replayed {
  private Replayed() {}

  /** Returns a new exception like {@code stored}, caused by it; {@code stored} itself for a class it cannot copy. */
  static MutagentException of(MutagentException stored) {
    MutagentException copy = copy(stored);
    if (copy == null || copy.getClass() != stored.getClass()) {
      return stored; // a class of the SDK's it does not know: thrown as it is rather than as another class
    }
    if (copy.getCause() == null) {
      copy.initCause(stored);
    }
    return copy;
  }

  private static @org.jspecify.annotations.Nullable MutagentException copy(MutagentException stored) {
    String message = String.valueOf(stored.getMessage());
    if (stored instanceof QuotaExceededException) {
      QuotaExceededException quota = (QuotaExceededException) stored;
      return new QuotaExceededException(message, quota.headers(), quota.body().orElse(null),
          quota.rawBody().orElse(null), quota.requestId().orElse(null), quota.renewsAt(), quota.sent());
    }
    if (stored instanceof RateLimitWaitException) {
      Duration left = ((RateLimitWaitException) stored).retryAfter().orElse(Duration.ZERO);
      return new RateLimitWaitException(message, Instant.now().plus(left));
    }
    if (stored instanceof MutagentApiException) {
      MutagentApiException api = (MutagentApiException) stored;
      // The same subclass for the same status (429: a RateLimitException, whose sent() is true as the stored one's is).
      return MutagentApiException.of(message, api.statusCode(), api.headers(), api.body().orElse(null),
          api.rawBody().orElse(null), api.requestId().orElse(null));
    }
    if (stored instanceof MutagentTimeoutException) {
      return new MutagentTimeoutException(message, asIo(stored));
    }
    if (stored instanceof MutagentIoException) {
      return new MutagentIoException(message, asIo(stored));
    }
    if (stored instanceof MutagentInvalidDataException) {
      return new MutagentInvalidDataException(message, stored);
    }
    if (stored.getClass() == MutagentException.class) {
      return new MutagentException(message, stored);
    }
    return null;
  }

  /** The I/O exceptions take an IOException as their cause: one that carries the stored exception. */
  private static IOException asIo(MutagentException stored) {
    Throwable cause = stored.getCause();
    return new IOException(cause != null ? String.valueOf(cause.getMessage()) : "the earlier fetch failed", stored);
  }
}
