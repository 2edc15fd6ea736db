package io.mutagent.internal.http;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

/**
 * Time as the retry loop sees it: the clock, waiting between attempts (blocking for the blocking
 * client, scheduled for the async one) and the jitter's randomness. Each client's resources have
 * their own ({@link SystemScheduler}); tests replace it so that no test waits for real. Internal.
 */
public interface Scheduler {
  /** Returns a monotonic time in nanoseconds, for deadlines. */
  long nanoTime();

  /** Returns the wall-clock time, for HTTP dates in {@code Retry-After}. */
  Instant now();

  /**
   * Blocks the calling thread for the duration, or until {@code wake} reaches zero, whichever
   * comes first ({@code close()} wakes a sleeping call this way).
   *
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  void sleep(Duration duration, CountDownLatch wake) throws InterruptedException;

  /**
   * Runs the task once the delay has passed, without holding a thread per task while waiting. The
   * task must return at once (the runner's only hands the next attempt to the dispatcher's
   * executor), since it runs on the scheduler's timer thread.
   *
   * @return what cancels the task before it runs
   */
  Future<?> schedule(Duration delay, Runnable task);

  /**
   * Runs the task once the delay has passed, unless it was cancelled first: a deadline that the
   * work it guards normally beats (a job wait's total timeout). The same as {@link #schedule} here;
   * a test's clock holds such a task until its time has passed, instead of moving the clock to it.
   *
   * @return what cancels the task before it runs
   */
  default Future<?> scheduleDeadline(Duration delay, Runnable task) {
    return schedule(delay, task);
  }

  /** Returns a random number in [0, 1), for jitter. */
  double random();
}
