package io.mutagent;

import io.mutagent.internal.http.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A scheduler whose clock moves only when the retry loop waits: no test waits for real. Scheduled
 * (async) retries run at once on the calling thread, or are parked until {@link #runParked()}.
 */
final class FakeScheduler implements Scheduler {
  private final Instant start = Instant.now();
  private volatile long nanos = 1_000_000_000L;
  final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
  final List<Runnable> parked = Collections.synchronizedList(new ArrayList<>());
  volatile boolean park;

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public Instant now() {
    return start.plusNanos(nanos);
  }

  @Override
  public void sleep(Duration duration) {
    waits.add(duration);
    nanos += duration.toNanos();
  }

  @Override
  public void schedule(Duration delay, Runnable task) {
    waits.add(delay);
    nanos += delay.toNanos();
    if (park) {
      parked.add(task);
    } else {
      task.run();
    }
  }

  @Override
  public double random() {
    return 0; // no jitter: waits are exact
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
