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
 * A deadline ({@link #scheduleDeadline}, a job wait's total timeout) neither moves the clock nor
 * runs at once: it is held, and runs when a wait or {@link #advance} moves the clock to or past it.
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
  /** The deadlines held until the clock reaches them, with the time each is due. */
  final List<Held> held = Collections.synchronizedList(new ArrayList<>());

  static final class Held {
    final long due;
    final FutureTask<Void> task;

    Held(long due, FutureTask<Void> task) {
      this.due = due;
      this.task = task;
    }
  }

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
    runDue();
  }

  @Override
  public Future<?> schedule(Duration delay, Runnable task) {
    waits.add(delay);
    nanos += delay.toNanos();
    runDue();
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
  public Future<?> scheduleDeadline(Duration delay, Runnable task) {
    FutureTask<Void> deadline = new FutureTask<>(task, null);
    held.add(new Held(nanos + delay.toNanos(), deadline));
    return deadline;
  }

  /** Runs the held deadlines the clock has reached (a cancelled one does nothing). */
  private void runDue() {
    List<Held> due = new ArrayList<>();
    synchronized (held) {
      for (Held deadline : new ArrayList<>(held)) {
        if (deadline.due - nanos <= 0) {
          held.remove(deadline);
          due.add(deadline);
        }
      }
    }
    due.forEach(deadline -> deadline.task.run());
  }

  @Override
  public double random() {
    return random; // 0 by default: the retry loop's waits are exact
  }

  /** Moves the clock forward, as if that much time had passed without a wait. */
  void advance(Duration duration) {
    nanos += duration.toNanos();
    runDue();
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
