package io.mutagent.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.HttpHeaders;
import io.mutagent.RequestOptions;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The retry rule alone, failure by failure: what the connection tracker saw decides for writes. */
class RetryPolicyTest {
  static Attempt attempt(boolean acquired, boolean reused, boolean responseStarted) {
    CallPlan plan = CallPlan.create(CallPlanTest.client("WORKSPACE", Duration.ofSeconds(60), true), RequestOptions.none(), 0, 0);
    Attempt attempt = new Attempt(plan, 0, null, Long.MAX_VALUE, null, null, null);
    attempt.connectionAcquired = acquired;
    attempt.connectionReused = reused;
    attempt.responseStarted = responseStarted;
    return attempt;
  }

  static boolean retried(String method, IOException e, Attempt attempt) {
    return RetryPolicy.afterFailure(method, e, attempt, 0, 2, 0).retry();
  }

  @Test
  void aConnectFailureIsRetriedForEveryMethod() {
    for (String method : new String[] {"GET", "PUT", "DELETE", "POST", "PATCH"}) {
      assertTrue(retried(method, new ConnectException("refused"), attempt(false, false, false)), method);
    }
  }

  @Test
  void aWriteOnAFreshConnectionThatFailsIsNotRetried() {
    assertFalse(retried("POST", new EOFException("unexpected end of stream"), attempt(true, false, false)));
    assertTrue(retried("GET", new EOFException("unexpected end of stream"), attempt(true, false, false)));
  }

  @Test
  void aWriteOnAReusedConnectionIsRetriedOnlyBeforeAnyResponseAndNotAfterATimeout() {
    assertTrue(retried("POST", new EOFException("unexpected end of stream"), attempt(true, true, false)));
    assertFalse(retried("POST", new EOFException("truncated body"), attempt(true, true, true)));
    assertFalse(retried("PATCH", new SocketTimeoutException("timeout"), attempt(true, true, false)));
    assertTrue(retried("GET", new SocketTimeoutException("timeout"), attempt(true, true, true)));
  }

  @Test
  void backoffDoublesFromHalfASecondUpToEightLessJitter() {
    assertEquals(Duration.ofMillis(500), RetryPolicy.backoff(0, 0));
    assertEquals(Duration.ofMillis(1000), RetryPolicy.backoff(1, 0));
    assertEquals(Duration.ofMillis(8000), RetryPolicy.backoff(4, 0));
    assertEquals(Duration.ofMillis(8000), RetryPolicy.backoff(9, 0));
    assertEquals(Duration.ofMillis(375), RetryPolicy.backoff(0, 1.0), "jitter takes off at most 25%");
  }

  @Test
  void theRetriesAllowedAreNeverExceeded() {
    assertFalse(RetryPolicy.afterStatus("GET", 503, HttpHeaders.empty(), 2, 2, Instant.now(), 0).retry());
    assertFalse(RetryPolicy.afterFailure("GET", new ConnectException(), attempt(false, false, false), 0, 0, 0).retry());
  }

  @Test
  void anHttpDateInThePastMeansRetryNow() {
    Instant now = Instant.parse("2026-11-23T08:00:00Z");
    RetryPolicy.Decision d = RetryPolicy.afterStatus("GET", 429,
        HttpHeaders.of("Retry-After", "Mon, 23 Nov 2026 07:00:00 GMT"), 0, 2, now, 0);
    assertTrue(d.retry());
    assertEquals(Duration.ZERO, d.delay());
    RetryPolicy.Decision unreadable = RetryPolicy.afterStatus("GET", 429, HttpHeaders.of("Retry-After", "soon"), 0, 2, now, 0);
    assertEquals(Duration.ofMillis(500), unreadable.delay(), "an unreadable Retry-After falls back to backoff");
  }
}
