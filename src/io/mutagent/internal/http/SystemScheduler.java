package io.mutagent.internal.http;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The real {@link Scheduler} of one client's resources: the system clock, a sleep that
 * {@code close()} can cut short, and one timer thread of the SDK's own ({@code mutagent-retries-<n>})
 * for the async client's waits between attempts. The thread starts with the first wait, ends after
 * {@value #IDLE_SECONDS} s without one, and ends on {@link #close()}; it only hands each due task on
 * (to the dispatcher's executor), so neither SDK nor user code ever runs on a JVM-shared thread such
 * as {@code CompletableFuture}'s delayer. Internal.
 */
final class SystemScheduler implements Scheduler {
  static final long IDLE_SECONDS = 60;

  private final String threadName;
  private @Nullable ScheduledThreadPoolExecutor timer; // guarded by this
  private boolean closed; // guarded by this

  /** Creates the scheduler; its timer thread, once started, is named {@code threadName}. */
  SystemScheduler(String threadName) {
    this.threadName = threadName;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public void sleep(Duration duration, CountDownLatch wake) throws InterruptedException {
    wake.await(duration.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Schedules the task on the timer thread, starting it if needed.
   *
   * @throws java.util.concurrent.RejectedExecutionException once closed
   */
  @Override
  public Future<?> schedule(Duration delay, Runnable task) {
    return timer().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public double random() {
    return ThreadLocalRandom.current().nextDouble();
  }

  private synchronized ScheduledThreadPoolExecutor timer() {
    if (closed) {
      throw new java.util.concurrent.RejectedExecutionException("the MutagenT client is closed");
    }
    if (timer == null) {
      ScheduledThreadPoolExecutor made = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, threadName);
        thread.setDaemon(true);
        return thread;
      });
      made.setRemoveOnCancelPolicy(true); // a cancelled wait (close, a cancelled future) frees its call at once
      made.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
      made.allowCoreThreadTimeOut(true);
      timer = made;
    }
    return timer;
  }

  /** Drops the waits still scheduled (their calls were failed by close) and ends the thread. */
  synchronized void close() {
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
