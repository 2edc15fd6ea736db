package io.mutagent.internal.http;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Time as the retry loop sees it: the clock, waiting (blocking for the blocking client, scheduled
 * for the async one) and the jitter's randomness. Tests replace it so that no test waits for real.
 * Internal.
 */
public interface Scheduler {
  /** The real one: the system clock, {@code Thread.sleep}, and the JDK's shared delay scheduler. */
  Scheduler SYSTEM = new Scheduler() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    }

    @Override
    public void schedule(Duration delay, Runnable task) {
      // CompletableFuture's delayer is one JDK daemon thread shared by the whole JVM: a waiting
      // retry holds no thread of its own. The task itself only enqueues an OkHttp call.
      CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS, Runnable::run).execute(task);
    }

    @Override
    public double random() {
      return ThreadLocalRandom.current().nextDouble();
    }
  };

  /** Returns a monotonic time in nanoseconds, for deadlines. */
  long nanoTime();

  /** Returns the wall-clock time, for HTTP dates in {@code Retry-After}. */
  Instant now();

  /** Blocks the calling thread for the duration. */
  void sleep(Duration duration) throws InterruptedException;

  /** Runs the task once the delay has passed, without holding a thread per task while waiting. */
  void schedule(Duration delay, Runnable task);

  /** Returns a random number in [0, 1), for jitter. */
  double random();
}
