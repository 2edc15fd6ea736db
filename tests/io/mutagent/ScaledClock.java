package io.mutagent;

import io.mutagent.internal.http.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A clock that runs {@code factor} times faster than real time, for load tests with many threads
 * whose waits must really overlap (a {@link FakeScheduler} moves time for everyone when one thread
 * waits). Waits last 1/factor of what they say: a 1 s rate-limit window passes in 50 ms at 20x.
 * Copies made by {@link #withSeed} share the time base, as separate processes share the wall
 * clock, each with its own randomness. The epoch starts at a whole second plus 300 ms.
 */
final class ScaledClock implements Scheduler {
  private final long factor;
  private final long startNanos;
  private final Instant start;
  private final Random random;
  private final ScheduledExecutorService timer;

  ScaledClock(long factor, long seed) {
    this(factor, System.nanoTime(), Instant.ofEpochSecond(Instant.now().getEpochSecond() + 1, 300_000_000),
        new Random(seed), newTimer());
  }

  private ScaledClock(long factor, long startNanos, Instant start, Random random, ScheduledExecutorService timer) {
    this.factor = factor;
    this.startNanos = startNanos;
    this.start = start;
    this.random = random;
    this.timer = timer;
  }

  private static ScheduledExecutorService newTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "scaled-clock-timer");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** Returns a clock on the same time base with its own random numbers. */
  ScaledClock withSeed(long seed) {
    return new ScaledClock(factor, startNanos, start, new Random(seed), timer);
  }

  @Override
  public long nanoTime() {
    return (System.nanoTime() - startNanos) * factor;
  }

  @Override
  public Instant now() {
    return start.plusNanos(nanoTime());
  }

  @Override
  public void sleep(Duration duration, CountDownLatch wake) throws InterruptedException {
    wake.await(Math.max(1, duration.toNanos() / factor), TimeUnit.NANOSECONDS);
  }

  @Override
  public Future<?> schedule(Duration delay, Runnable task) {
    return timer.schedule(task, Math.max(0, delay.toNanos() / factor), TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized double random() {
    return random.nextDouble();
  }

  void shutdown() {
    timer.shutdownNow();
  }
}
