package io.mutagent;

import io.mutagent.internal.http.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.jspecify.annotations.Nullable;

/**
 * A scheduler whose clock moves only when the retry loop waits: no test waits for real. Scheduled
 * (async) waits end at once on the calling thread (which hands the next attempt to the client's
 * executor), or are parked until {@link #runParked()}; a parked one that was cancelled does not run.
 */
final class FakeScheduler implements Scheduler {
  private final Instant start = Instant.now();
  private volatile long nanos = 1_000_000_000L;
  final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
  final List<Runnable> parked = Collections.synchronizedList(new ArrayList<>());
  volatile boolean park;
  /** What random() returns: 0 by default (the smallest jitter); a test of the largest sets it near 1. */
  volatile double random;
  /** When set, a task scheduled this far ahead or more is parked too (a batcher's interval), shorter ones run. */
  volatile @Nullable Duration parkFrom;

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public Instant now() {
    return start.plusNanos(nanos);
  }

  @Override
  public void sleep(Duration duration, CountDownLatch wake) {
    waits.add(duration);
    nanos += duration.toNanos();
  }

  @Override
  public Future<?> schedule(Duration delay, Runnable task) {
    waits.add(delay);
    nanos += delay.toNanos();
    FutureTask<Void> scheduled = new FutureTask<>(task, null);
    Duration from = parkFrom;
    if (park || (from != null && delay.compareTo(from) >= 0)) {
      parked.add(scheduled);
    } else {
      scheduled.run();
    }
    return scheduled;
  }

  @Override
  public double random() {
    return random; // 0 by default: the retry loop's waits are exact
  }

  /** Moves the clock forward, as if that much time had passed without a wait. */
  void advance(Duration duration) {
    nanos += duration.toNanos();
  }

  void runParked() {
    List<Runnable> tasks;
    synchronized (parked) {
      tasks = new ArrayList<>(parked);
      parked.clear();
    }
    tasks.forEach(Runnable::run);
  }
}
