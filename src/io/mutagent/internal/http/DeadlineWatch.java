package io.mutagent.internal.http;

import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import retrofit2.Call;

/**
 * Ends the attempts in flight that outlive their call's deadline: marks the attempt
 * {@linkplain Attempt#timedOut timed out}, then cancels its HTTP call, which fails it with an
 * IOException that the runner reports as a timeout. This is what OkHttp's call timeout does, but
 * without a timer per call: OkHttp arms one in okio's watchdog for every call, and waking that
 * thread for each call cost 20 to 40 microseconds per call on a 2-core machine.
 *
 * <p>One thread looks at the calls in flight, then sleeps until the earliest deadline it saw (with
 * none, for the idle time). A call put in flight wakes it only when its deadline comes before
 * that, so calls with the same timeout one after another do not wake it: it looks about once per
 * timeout, not once per call. The thread starts with the first call that has a deadline, ends
 * when two looks an idle time apart ({@value #IDLE_SECONDS} s for a client) find nothing to
 * watch, and ends on {@link #close()}. It is a virtual thread on Java 21 and later when the
 * factory gives one. Internal.
 */
final class DeadlineWatch {
  static final long IDLE_SECONDS = 60;

  private final Map<Call<?>, Attempt> inFlight;
  private final ThreadFactory threads;
  private final long idleNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /**
   * When the thread looks next ({@link System#nanoTime()} scale); Long.MAX_VALUE while it runs a
   * look, waits with no deadline to come, or is not running; Long.MIN_VALUE once closed. A deadline
   * before it wakes the thread; read without the lock on every call, written under it.
   */
  private volatile long nextLook = Long.MAX_VALUE;
  private boolean running; // guarded by lock
  private boolean closed; // guarded by lock
  private long wakeUps; // guarded by lock

  /**
   * Creates a watch over the attempts in flight, which the caller keeps ({@link Resources}).
   *
   * @param threads makes the watching thread, when the first deadline comes
   * @param idleNanos how long the thread waits with no deadline to come before it ends
   *     ({@value #IDLE_SECONDS} s for a client; tests shorten it)
   */
  DeadlineWatch(Map<Call<?>, Attempt> inFlight, ThreadFactory threads, long idleNanos) {
    this.inFlight = inFlight;
    this.threads = threads;
    this.idleNanos = idleNanos;
  }

  /**
   * Notes that an attempt with this deadline was just put in flight. Costs one volatile read, unless
   * the deadline comes before the thread's next look: then it wakes the thread, or starts it.
   *
   * @param deadline on the {@link System#nanoTime()} scale, or Long.MAX_VALUE for none
   */
  void watch(long deadline) {
    if (deadline >= nextLook) {
      return;
    }
    lock.lock();
    try {
      if (closed || deadline >= nextLook) {
        return;
      }
      nextLook = deadline;
      wakeUps++;
      if (running) {
        changed.signal();
      } else {
        running = true;
        threads.newThread(this::run).start();
      }
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    lock.lock();
    try {
      boolean idle = false; // the last look found nothing and the wait after it ran out
      while (!closed) {
        // From here, a call put in flight that this look misses sees MAX_VALUE and wakes the thread.
        nextLook = Long.MAX_VALUE;
        long now = System.nanoTime();
        long next = lookAt(now);
        boolean nothing = next == Long.MAX_VALUE;
        if (nothing) {
          if (idle) {
            break; // nothing to watch for idleNanos: the next deadline starts a thread again
          }
          // Look again after idleNanos even so: a deadline later than that (a call with this
          // timeout or a longer one) need not wake the thread.
          next = now + idleNanos;
        }
        nextLook = next;
        long left;
        try {
          left = changed.awaitNanos(next - now);
        } catch (InterruptedException e) {
          left = 1; // nothing interrupts this thread on purpose; look again
        }
        idle = nothing && left <= 0;
      }
      running = false;
      if (!closed) {
        nextLook = Long.MAX_VALUE;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the attempts past their deadline; returns the earliest deadline still to come, or
   * Long.MAX_VALUE when none is.
   */
  private long lookAt(long now) {
    long next = Long.MAX_VALUE;
    for (Map.Entry<Call<?>, Attempt> entry : inFlight.entrySet()) {
      Attempt attempt = entry.getValue();
      if (attempt.deadline == Long.MAX_VALUE) {
        continue;
      }
      if (attempt.deadline - now <= 0) {
        attempt.timedOut = true; // before cancel: the failure it causes must find it set
        entry.getKey().cancel();
        Attempt.TimeoutListener listener = attempt.timeoutListener;
        if (listener != null) {
          listener.timedOut(attempt);
        }
      } else if (next == Long.MAX_VALUE || attempt.deadline - next < 0) {
        next = attempt.deadline;
      }
    }
    return next;
  }

  /** Ends the thread; later calls are not watched (the resources refuse them once closed). */
  void close() {
    lock.lock();
    try {
      closed = true;
      nextLook = Long.MIN_VALUE;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Returns whether the watching thread runs, for tests. */
  boolean isRunning() {
    lock.lock();
    try {
      return running;
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many times a call woke or started the thread, for tests. */
  long wakeUps() {
    lock.lock();
    try {
      return wakeUps;
    } finally {
      lock.unlock();
    }
  }
}
