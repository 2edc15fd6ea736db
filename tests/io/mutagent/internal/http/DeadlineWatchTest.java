package io.mutagent.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.RequestOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import retrofit2.Call;

/** The thread that ends calls at their deadline: what it cancels, and when it wakes. */
class DeadlineWatchTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final Map<Call<?>, Attempt> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger threadsStarted = new AtomicInteger();
  private final ThreadFactory threads = runnable -> {
    threadsStarted.incrementAndGet();
    Thread thread = new Thread(runnable, "deadline-watch-test");
    thread.setDaemon(true);
    return thread;
  };
  private final DeadlineWatch watch = new DeadlineWatch(inFlight, threads, 60 * SECOND);

  @AfterEach
  void closeTheWatch() {
    watch.close();
  }

  @Test
  void aCallPastItsDeadlineIsMarkedTimedOutThenCancelledAndOneBeforeItsDeadlineIsLeft() throws Exception {
    FakeCall late = start(TimeUnit.MILLISECONDS.toNanos(50));
    FakeCall patient = start(10 * SECOND);
    FakeCall unlimited = startWithDeadline(Long.MAX_VALUE);

    awaitTrue(late::isCanceled, "the call past its deadline was not cancelled");
    assertTrue(inFlight.get(late).timedOut);
    assertTrue(late.timedOutWhenCancelled, "the attempt must say timed out before its call fails");
    assertFalse(patient.isCanceled());
    assertFalse(inFlight.get(patient).timedOut);
    assertFalse(unlimited.isCanceled());
  }

  @Test
  void callsWithTheSameTimeoutOneAfterAnotherWakeTheThreadOnceNotOncePerCall() throws Exception {
    for (int i = 0; i < 1000; i++) {
      FakeCall call = start(60 * SECOND);
      inFlight.remove(call);
    }
    // The first call starts the thread. A call put in flight while the thread looks may wake it
    // once more; the thread then sleeps for the idle time and no later call wakes it. (On a busy
    // machine a look can be descheduled while calls go in flight, so allow a few such looks:
    // once per call would be 1000.)
    assertTrue(watch.wakeUps() <= 10, watch.wakeUps() + " of 1000 calls woke the thread");
    assertEquals(1, threadsStarted.get());
  }

  @Test
  void callsWithNoDeadlineNeverStartTheThread() {
    for (int i = 0; i < 10; i++) {
      startWithDeadline(Long.MAX_VALUE);
    }
    assertEquals(0, watch.wakeUps());
    assertFalse(watch.isRunning());
  }

  @Test
  void anEarlierDeadlineWakesTheThreadThatSleepsUntilALaterOne() throws Exception {
    FakeCall slow = start(60 * SECOND);
    awaitTrue(watch::isRunning, "the thread did not start");
    Thread.sleep(50); // its first look is done: it sleeps until the slow call's deadline
    FakeCall hurried = start(TimeUnit.MILLISECONDS.toNanos(50));
    awaitTrue(hurried::isCanceled, "the sleeping thread did not wake for the earlier deadline");
    assertTrue(watch.wakeUps() >= 2, "the earlier deadline woke the thread");
    assertFalse(slow.isCanceled());
  }

  @Test
  void theThreadEndsWhenIdleAndTheNextDeadlineStartsItAgain() throws Exception {
    DeadlineWatch briefly = new DeadlineWatch(inFlight, threads, TimeUnit.MILLISECONDS.toNanos(50));
    try {
      FakeCall first = startOn(briefly, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));
      awaitTrue(first::isCanceled, "the thread did not cancel the call at its deadline");
      inFlight.remove(first);
      awaitTrue(() -> !briefly.isRunning(), "the thread did not end after 50 ms with nothing to watch");

      FakeCall second = startOn(briefly, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));
      awaitTrue(second::isCanceled, "the thread did not start again for a new deadline");
      assertEquals(2, threadsStarted.get());
    } finally {
      briefly.close();
    }
  }

  @Test
  void aCancelThatThrowsEndsNeitherTheLookNorLaterDeadlines() throws Exception {
    FakeCall failing = new FakeCall();
    failing.cancelThrows = true;
    Attempt attempt = attempt(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));
    failing.attempt = attempt;
    inFlight.put(failing, attempt);
    watch.watch(attempt.deadline);
    FakeCall next = start(TimeUnit.MILLISECONDS.toNanos(40));
    awaitTrue(next::isCanceled, "the call after a cancel that threw was not ended");
    assertTrue(failing.isCanceled());
    assertTrue(attempt.timedOut, "the attempt whose cancel threw is still marked timed out");
    FakeCall later = start(TimeUnit.MILLISECONDS.toNanos(20));
    awaitTrue(later::isCanceled, "deadlines after the failure are not kept");
  }

  @Test
  void aThreadThatCannotStartFailsThatWatchAndTheNextDeadlineStartsOne() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    DeadlineWatch flaky = new DeadlineWatch(inFlight, runnable -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("no thread for you");
      }
      return threads.newThread(runnable);
    }, 60 * SECOND);
    try {
      FakeCall first = new FakeCall();
      inFlight.put(first, attempt(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)));
      long deadline = inFlight.get(first).deadline;
      org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> flaky.watch(deadline));
      assertFalse(flaky.isRunning());
      FakeCall second = startOn(flaky, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30));
      awaitTrue(second::isCanceled, "the next deadline did not start the thread");
      assertTrue(first.isCanceled(), "the thread ends every overdue call once it runs");
    } finally {
      flaky.close();
    }
  }

  @Test
  void closeEndsTheThreadAndLaterDeadlinesStartNone() throws Exception {
    start(60 * SECOND);
    awaitTrue(watch::isRunning, "the thread did not start");
    watch.close();
    awaitTrue(() -> !watch.isRunning(), "close() did not end the thread");
    FakeCall after = start(TimeUnit.MILLISECONDS.toNanos(1));
    Thread.sleep(100);
    assertFalse(after.isCanceled(), "a closed watch cancels nothing");
    assertEquals(1, threadsStarted.get());
  }

  @Test
  void aTimedOutAttemptReportsItsFailureAsOkHttpReportsACallTimeout() {
    Attempt attempt = attempt(System.nanoTime());
    IOException canceled = new IOException("Canceled");
    assertSame(canceled, attempt.failure(canceled), "an attempt the watch did not end keeps its failure");
    attempt.timedOut = true;
    IOException reported = attempt.failure(canceled);
    assertInstanceOf(InterruptedIOException.class, reported);
    assertEquals("timeout", reported.getMessage());
    assertSame(canceled, reported.getCause());
    InterruptedIOException okHttps = new InterruptedIOException("timeout");
    assertSame(okHttps, attempt.failure(okHttps), "a timeout stays as it came");
  }

  private FakeCall start(long timeoutNanos) {
    return startWithDeadline(System.nanoTime() + timeoutNanos);
  }

  private FakeCall startWithDeadline(long deadline) {
    return startOn(watch, deadline);
  }

  /** Puts a call in flight as Resources.started does, and tells the watch. */
  private FakeCall startOn(DeadlineWatch on, long deadline) {
    FakeCall call = new FakeCall();
    Attempt attempt = attempt(deadline);
    call.attempt = attempt;
    inFlight.put(call, attempt);
    on.watch(deadline);
    return call;
  }

  private static Attempt attempt(long deadline) {
    CallPlan plan = CallPlan.create(CallPlanTest.client("WORKSPACE", null, false), RequestOptions.none(), 0, 0);
    return new Attempt(plan, 0, null, deadline, null, null, null);
  }

  private static void awaitTrue(BooleanSupplier condition, String message) throws InterruptedException {
    long end = System.nanoTime() + 5 * SECOND;
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertTrue(condition.getAsBoolean(), message);
  }
}
