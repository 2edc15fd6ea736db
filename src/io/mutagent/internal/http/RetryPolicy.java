package io.mutagent.internal.http;

import io.mutagent.HttpHeaders;
import io.mutagent.RateLimit;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one retry rule of the SDK, as pure decisions: whether an attempt that ended with a status or
 * an I/O failure is tried again, and after how long. The caller ({@link CallRunner}) owns the
 * loop, the deadline and the waiting. Internal.
 *
 * <p>GET, HEAD, PUT, DELETE and OPTIONS are idempotent and retried on a connection failure, a
 * timeout, 408, 429, 500, 502, 503 and 504. A POST or PATCH is never sent twice where the server
 * may have acted on the first: it is retried (always with the same {@code Idempotency-Key}) only
 * when the request cannot have reached the server (no connection was made), on 429, on 503 with a
 * {@code Retry-After}, and when a reused pooled connection failed before any response arrived
 * (the server had closed it while idle). Never after a 500, a timeout once connected, or once a
 * response began.
 *
 * <p>The wait is the server's {@code Retry-After-Ms} or {@code Retry-After} when it sent one (a
 * wait over 60 s is not waited: the error goes back to the caller with its {@code retryAfter()}),
 * otherwise exponential backoff from 0.5 s, doubling, capped at 8 s, less up to 25% of jitter.
 */
public final class RetryPolicy {
  static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
  static final Duration MAX_REQUESTED_WAIT = Duration.ofSeconds(60);

  private RetryPolicy() {}

  /** What to do after an attempt. */
  public static final class Decision {
    static final Decision STOP = new Decision(false, Duration.ZERO, null);

    final boolean retry;
    final Duration delay;
    /** Why: for the log line of a retry, or of a stop that a reader might not expect. */
    final @Nullable String reason;

    private Decision(boolean retry, Duration delay, @Nullable String reason) {
      this.retry = retry;
      this.delay = delay;
      this.reason = reason;
    }

    static Decision retry(Duration delay, String reason) {
      return new Decision(true, delay, reason);
    }

    static Decision stop(@Nullable String reason) {
      return new Decision(false, Duration.ZERO, reason);
    }

    /** Returns whether to try again. */
    public boolean retry() {
      return retry;
    }

    /** Returns the wait before the next attempt. */
    public Duration delay() {
      return delay;
    }

    /** Returns why, or null. */
    public @Nullable String reason() {
      return reason;
    }

    @Override
    public String toString() {
      return (retry ? "retry in " + delay.toMillis() + " ms" : "stop") + (reason == null ? "" : ": " + reason);
    }
  }

  /** Returns whether requests with this method can be repeated without changing the result. */
  static boolean idempotent(String method) {
    switch (method) {
      case "GET":
      case "HEAD":
      case "PUT":
      case "DELETE":
      case "OPTIONS":
        return true;
      default:
        return false;
    }
  }

  /**
   * Decides after a response with an error status.
   *
   * @param retriesDone retries made so far in this call
   * @param maxRetries the most retries allowed
   * @param receivedAt when the response arrived, for an HTTP-date {@code Retry-After}
   * @param random a number in [0, 1) for the jitter
   */
  public static Decision afterStatus(String method, int status, HttpHeaders headers, int retriesDone,
      int maxRetries, Instant receivedAt, double random) {
    Optional<Instant> retryAt = RateLimit.of(headers, receivedAt).retryAt();
    boolean retryable;
    if (idempotent(method)) {
      retryable = status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    } else {
      retryable = status == 429 || (status == 503 && retryAt.isPresent());
    }
    if (!retryable) {
      return Decision.STOP;
    }
    if (retriesDone >= maxRetries) {
      return Decision.stop(maxRetries == 0 ? null : "gave up after " + retriesDone + " retries");
    }
    String what = "HTTP " + status;
    if (retryAt.isPresent()) {
      Duration wait = Duration.between(receivedAt, retryAt.get());
      if (wait.compareTo(MAX_REQUESTED_WAIT) > 0) {
        return Decision.stop("the server asked to wait " + wait.getSeconds() + " s, longer than the "
            + MAX_REQUESTED_WAIT.getSeconds() + " s the SDK waits; retryAfter() on the error says when");
      }
      return Decision.retry(wait, what + ", Retry-After " + wait.toMillis() + " ms");
    }
    return Decision.retry(backoff(retriesDone, random), what);
  }

  /**
   * Decides after an attempt that got no response.
   *
   * @param attempt what the connection tracker saw of the attempt
   */
  public static Decision afterFailure(String method, IOException failure, Attempt attempt, int retriesDone,
      int maxRetries, double random) {
    String what;
    if (!attempt.connectionAcquired) {
      what = "connection failed (" + failure.getClass().getSimpleName() + "), nothing was sent";
    } else if (idempotent(method)) {
      what = timeout(failure) ? "timed out" : failure.getClass().getSimpleName();
    } else if (attempt.connectionReused && !attempt.responseStarted && !timeout(failure)) {
      what = "the pooled connection was closed by the server before it answered";
    } else {
      return Decision.stop(method + " is not retried once the request may have reached the server");
    }
    if (retriesDone >= maxRetries) {
      return Decision.stop(maxRetries == 0 ? null : "gave up after " + retriesDone + " retries");
    }
    return Decision.retry(backoff(retriesDone, random), what);
  }

  /**
   * Returns whether an attempt failed only because the pooled connection it reused had been closed
   * by the server while idle (Node servers close idle keep-alive connections after 5 s): the
   * connection had served a request before, no response byte arrived, and it was neither a timeout
   * nor ended by the SDK (deadline, interrupt). The server cannot have seen the request, so the
   * runner sends it again at once on a new connection, once per call, for every method, without
   * counting it as a retry (as Go's {@code net/http} does).
   */
  static boolean staleConnection(IOException failure, Attempt attempt) {
    return attempt.connectionReused && !attempt.responseStarted && !attempt.timedOut && !attempt.interrupted
        && !timeout(failure);
  }

  /** Returns 0.5 s doubled per retry done, capped at 8 s, less up to 25% of jitter. */
  static Duration backoff(int retriesDone, double random) {
    long base = INITIAL_BACKOFF.toMillis() << Math.min(retriesDone, 5);
    long capped = Math.min(base, MAX_BACKOFF.toMillis());
    return Duration.ofMillis((long) (capped * (1 - 0.25 * random)));
  }

  private static boolean timeout(IOException failure) {
    return failure instanceof SocketTimeoutException
        || (failure instanceof InterruptedIOException && "timeout".equals(failure.getMessage()));
  }
}
