package io.mutagent.internal.http;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One call waiting between two attempts, noted in its {@link Resources} so that {@code close()}
 * ends the wait at once: a blocking call's sleep is woken, an async call's scheduled attempt is
 * cancelled and its future failed. A wait ends once, either way. Internal.
 */
final class RetryWait {
  /** The client state that made the call, whose close() ends the wait. */
  final ClientState owner;
  /** Counted down to wake a blocking call's sleep. */
  final CountDownLatch wake = new CountDownLatch(1);
  /** Fails an async call's future when the wait is ended early; null for a blocking call. */
  private final @Nullable Runnable onEnd;
  /** The async call's scheduled next attempt, cancelled when the wait is ended early. */
  volatile @Nullable Future<?> timer;
  private final AtomicBoolean over = new AtomicBoolean();

  RetryWait(ClientState owner, @Nullable Runnable onEnd) {
    this.owner = owner;
    this.onEnd = onEnd;
  }

  /**
   * Ends the wait early: wakes the sleeper, or cancels the scheduled attempt and fails the future.
   * Does nothing if the wait is over already.
   */
  void end() {
    if (!over.compareAndSet(false, true)) {
      return;
    }
    wake.countDown();
    Future<?> scheduled = timer;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
    if (onEnd != null) {
      onEnd.run();
    }
  }

  /** Marks the wait over as planned; returns false if it was ended early (the call must not go on). */
  boolean finish() {
    return over.compareAndSet(false, true);
  }

  /**
   * Ends the wait of a call that no longer needs it (its future was completed from outside):
   * cancels the scheduled attempt, fails nothing.
   */
  void drop() {
    if (over.compareAndSet(false, true)) {
      Future<?> scheduled = timer;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
    }
  }

  /** Returns whether the wait was ended, early or as planned. */
  boolean isOver() {
    return over.get();
  }
}
