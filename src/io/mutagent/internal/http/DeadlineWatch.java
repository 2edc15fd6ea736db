package io.mutagent.internal.http;

import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import retrofit2.Call;

/**
 * Ends the attempts in flight that outlive their call's deadline, or whose blocking caller was
 * interrupted (a thread blocked in a socket read does not see its interrupt; the watch looks every
 * {@link Attempt#INTERRUPT_POLL_NANOS} while a blocking call is in flight): marks the attempt
 * {@linkplain Attempt#timedOut timed out}, then cancels its HTTP call, which fails it with an
 * IOException that the runner reports as a timeout. This is what OkHttp's call timeout does, but
 * without a timer per call: OkHttp arms one in okio's watchdog for every call, and waking that
 * thread for each call cost 20 to 40 microseconds per call on a 2-core machine.
 *
 * <p>One thread looks at the calls in flight, then sleeps until the earliest deadline it saw (with
 * none, for the idle time). A call put in flight wakes it only when its deadline comes before
 * that, so calls with the same timeout one after another do not wake it: it looks about once per
 * timeout, not once per call. The thread starts with the first call that has a deadline or blocks a thread, ends
 * when two looks an idle time apart ({@value #IDLE_SECONDS} s for a client) find nothing to
 * watch, and ends on {@link #close()}: so it lingers at most the idle time after the last
 * deadline it saw. Internal.
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
   * Notes that an attempt that must be looked at by this time was just put in flight
   * ({@link Attempt#lookBy()}). Costs one volatile read, unless that time comes before the thread's
   * next look: then it wakes the thread, or starts it.
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
      wakeUps++;
      if (running) {
        nextLook = deadline;
        changed.signal();
        return;
      }
      // Not running: nextLook is MAX_VALUE, and stays so if no thread starts, so that the next
      // call tries again. The new thread waits for this lock, so it sees running set.
      threads.newThread(this::run).start();
      running = true;
      nextLook = deadline;
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
        // The fence orders this write before the look's reads of the map, whatever the map's
        // iterator does; a caller puts its call in the map before it reads nextLook.
        nextLook = Long.MAX_VALUE;
        VarHandle.fullFence();
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
    } finally {
      // Also when a look failed (an Error): the next call with a deadline starts a thread again.
      running = false;
      if (!closed) {
        nextLook = Long.MAX_VALUE;
      }
      lock.unlock();
    }
  }

  /**
   * Ends the attempts past their deadline and those whose blocking caller was interrupted;
   * returns when to look next (the earliest deadline still to come, sooner while a blocking call
   * is in flight), or Long.MAX_VALUE when nothing is to be watched.
   */
  private long lookAt(long now) {
    long next = Long.MAX_VALUE;
    for (Map.Entry<Call<?>, Attempt> entry : inFlight.entrySet()) {
      Attempt attempt = entry.getValue();
      Thread caller = attempt.caller;
      if (caller != null && caller.isInterrupted()) {
        attempt.interrupted = true; // before cancel: the failure it causes must find it set
        end(entry.getKey(), attempt);
        continue;
      }
      long due = attempt.deadline;
      if (due != Long.MAX_VALUE && due - now <= 0) {
        attempt.timedOut = true;
        end(entry.getKey(), attempt);
        continue;
      }
      if (caller != null) {
        long poll = now + Attempt.INTERRUPT_POLL_NANOS;
        due = due == Long.MAX_VALUE || poll - due < 0 ? poll : due;
      }
      if (due != Long.MAX_VALUE && (next == Long.MAX_VALUE || due - next < 0)) {
        next = due;
      }
    }
    return next;
  }

  /**
   * Cancels the call and tells its listener. What they throw (OkHttp runs the application's
   * {@code EventListener.canceled} inside cancel) ends neither this look nor the other calls'
   * deadlines; the attempt stays marked timed out.
   */
  private static void end(Call<?> call, Attempt attempt) {
    try {
      call.cancel();
    } catch (Throwable ignored) { // the application's code may throw anything, Error included
      // The application's listener failed; the call is cancelled or about to fail anyway.
    }
    Attempt.TimeoutListener listener = attempt.timeoutListener;
    if (listener != null) {
      try {
        listener.timedOut(attempt);
      } catch (Throwable ignored) {
        // The future could not be failed early; the call's own failure still completes it.
      }
    }
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
