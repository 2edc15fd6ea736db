package io.mutagent.bench;

import io.mutagent.internal.ratelimit.Permit;
import io.mutagent.internal.ratelimit.RateLimiters;
import io.mutagent.ratelimit.RateLimits;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the client-side rate limiter adds to each call, alone (issue 22): asking for a permit and
 * releasing it with an answer's {@code X-RateLimit-*} headers, as {@code CallRunner} does around
 * every attempt, on a window with room (the limiter never waits here). The SDK's internal classes,
 * read from the jar on the class path; no server is needed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class RateLimiterBench {
  private final RateLimiters limiters = new RateLimiters(RateLimits.defaults(), 0);
  private final Headers headers = new Headers.Builder().add("Content-Type", "application/json")
      .add("X-Request-Id", "req_bench").add("X-RateLimit-Limit", "1000").add("X-RateLimit-Remaining", "999")
      .add("X-RateLimit-Reset", "1767225600").build();

  /** One permit asked for and released with the answer's headers. */
  @Benchmark
  public long askAndRelease() {
    long now = System.currentTimeMillis();
    RateLimiters.Answer answer = limiters.ask(Ours.API_KEY, false, now, 0.5);
    Permit permit = answer.permit;
    if (permit != null) {
      permit.answered(headers, 200, 0, false, now, 0.5);
    }
    return answer.until;
  }
}
