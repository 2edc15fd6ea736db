package io.mutagent.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.HttpHeaders;
import io.mutagent.errors.MutagentApiException;
import io.mutagent.errors.MutagentException;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.errors.MutagentIoException;
import io.mutagent.errors.MutagentTimeoutException;
import io.mutagent.errors.QuotaExceededException;
import io.mutagent.errors.RateLimitException;
import io.mutagent.errors.RateLimitWaitException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exception a prompt cache read throws from a stored failure: same class and details, its own, caused by the stored one. */
class ReplayedTest {
  @Test
  void everyExceptionTheSdkThrowsIsCopiedWithItsClassDetailsAndTheStoredOneAsCause() {
    HttpHeaders headers = HttpHeaders.of("Retry-After", "7", "X-Request-Id", "req_1");
    List<MutagentException> stored = new ArrayList<>();
    for (int status : new int[] {400, 401, 403, 404, 409, 422, 429, 500, 503, 418}) {
      stored.add(MutagentApiException.of("HTTP " + status, status, headers, null, "raw " + status, "req_1"));
    }
    stored.add(new QuotaExceededException("quota", headers, null, null, "req_1", Instant.parse("2026-12-08T00:00:00Z"),
        false));
    stored.add(new RateLimitWaitException("wait", Instant.now().plusSeconds(30)));
    stored.add(new MutagentIoException("io", new IOException("reset")));
    stored.add(new MutagentTimeoutException("timeout", new java.net.SocketTimeoutException("timeout")));
    stored.add(new MutagentInvalidDataException("bad json"));
    stored.add(new MutagentException("other"));
    for (MutagentException original : stored) {
      MutagentException copy = Replayed.of(original);
      String what = original.getClass().getSimpleName() + " " + original.getMessage();
      assertNotSame(original, copy, what);
      assertEquals(original.getClass(), copy.getClass(), what);
      assertEquals(original.getMessage(), copy.getMessage(), what);
      Throwable cause = copy.getCause();
      if (copy instanceof MutagentIoException) {
        assertTrue(cause instanceof IOException, what);
        cause = cause.getCause();
      }
      assertSame(original, cause, what + ": caused by the stored exception");
      if (original instanceof MutagentApiException) {
        MutagentApiException api = (MutagentApiException) original;
        MutagentApiException apiCopy = (MutagentApiException) copy;
        assertEquals(api.statusCode(), apiCopy.statusCode(), what);
        assertEquals(api.headers().toString(), apiCopy.headers().toString(), what);
        assertEquals(api.rawBody(), apiCopy.rawBody(), what);
        assertEquals(api.requestId(), apiCopy.requestId(), what);
      }
      if (original instanceof RateLimitException) {
        assertEquals(((RateLimitException) original).sent(), ((RateLimitException) copy).sent(), what);
      }
    }
    QuotaExceededException quota = (QuotaExceededException) Replayed.of(stored.get(10));
    assertEquals(Instant.parse("2026-12-08T00:00:00Z"), quota.renewsAt());
  }
}
