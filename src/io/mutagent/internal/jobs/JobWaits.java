package io.mutagent.internal.jobs;

import io.mutagent.RequestOptions;
import io.mutagent.errors.MutagentIoException;
import io.mutagent.internal.http.ClientState;
import io.mutagent.internal.http.Resources;
import io.mutagent.internal.http.Scheduler;
import io.mutagent.jobs.WaitOptions;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The engine of the generated waiting methods ({@code startOptimizationAndWait},
 * {@code waitForOptimization}, ...): polls a job through the namespace's own methods (so every poll
 * goes through the client's retry rule, deadline and rate limits, marked as background work) until
 * it ends, pausing between polls as the {@link WaitOptions} say. The blocking wait sleeps on the
 * caller's thread; the async wait holds no thread between polls: the client's scheduler starts the
 * next poll on the dispatcher's executor. Either is noted in the client's {@link Resources} so that
 * {@code close()} ends it at once; an interrupt ends a blocking wait at once. One per client (or
 * copy). Internal.
 */
public final class JobWaits {
  private final ClientState state;
  private final Scheduler scheduler;
  private final @Nullable Duration clientTimeout;

  /**
   * Creates the engine of one client.
   *
   * @param state the client's state, whose close ends its waits
   * @param scheduler the client's clock and timer (tests replace it)
   * @param clientTimeout the client's timeout of a call (its own, else its OkHttpClient's call
   *     timeout), or null for none: a poll's timeout is cut to the wait's deadline when that is shorter
   */
  public JobWaits(ClientState state, Scheduler scheduler, @Nullable Duration clientTimeout) {
    this.state = state;
    this.scheduler = scheduler;
    this.clientTimeout = clientTimeout;
  }

  /**
   * Reads a job, or its progress, by id with the options the engine gives each read: the caller's,
   * marked as background work, the timeout cut to what is left of the wait.
   */
  @FunctionalInterface
  public interface Read<T> {
    /** Reads by id with these options. */
    T read(String jobId, RequestOptions options);
  }

  /** Gives what a wait returns once the job completed: the job itself, or a read of its result. */
  @FunctionalInterface
  public interface ResultRead<J, R> {
    /** Returns the result of the completed job, reading it with these options if it must. */
    R read(String jobId, J job, RequestOptions options);
  }

  /**
   * Checks the wait options of a waiting method.
   *
   * @throws IllegalArgumentException if null, before anything is sent
   */
  public static WaitOptions checked(@Nullable WaitOptions wait) {
    if (wait == null) {
      throw new IllegalArgumentException("wait must not be null; pass WaitOptions.defaults() for the defaults");
    }
    return wait;
  }

  /** Returns a future failed with {@code failure}: how the async waiting methods refuse an argument. */
  public static <R> CompletableFuture<R> failed(Throwable failure) {
    CompletableFuture<R> future = new CompletableFuture<>();
    future.completeExceptionally(failure);
    return future;
  }

  // ---------------------------------------------------------------------------------------------
  // Blocking
  // ---------------------------------------------------------------------------------------------

  /**
   * Starts a job and waits for it on the calling thread.
   *
   * @param start the start call (it is not counted as a poll, nor in the total timeout)
   * @param caller the options given to the waiting method: every read of the wait goes with them
   *     (marked background, the timeout cut to the wait's deadline)
   * @param status reads the job by id
   * @param progress reads its progress by id, for a kind with progress, else null
   * @param result gives what the wait returns once the job completed: the job, or a result read
   * @return the result
   */
  public <J, P, R> R startAndAwait(JobKind<J, P> kind, Supplier<J> start, @Nullable RequestOptions caller,
      WaitOptions options, Read<J> status, @Nullable Read<P> progress, ResultRead<J, R> result) {
    checked(options);
    state.ensureOpen(); // closed before: nothing is sent, and the plain closed error says so
    J started;
    try {
      started = start.get();
    } catch (IllegalStateException e) {
      if (state.isClosed()) {
        IllegalStateException closed = closedWhileStarting(kind.name);
        closed.initCause(e);
        throw closed;
      }
      throw e;
    }
    return await(kind, kind.idOf.apply(started), started, caller, options, status, progress, result);
  }

  /**
   * Waits on the calling thread for a job already started, from its id (the first poll is at once).
   * See {@link #startAndAwait}.
   */
  public <J, P, R> R await(JobKind<J, P> kind, String jobId, RequestOptions caller, WaitOptions options,
      Read<J> status, @Nullable Read<P> progress, ResultRead<J, R> result) {
    checked(options);
    return await(kind, jobId, null, caller, options, status, progress, result);
  }

  private <J, P, R> R await(JobKind<J, P> kind, String jobId, @Nullable J started, @Nullable RequestOptions caller,
      WaitOptions options, Read<J> status, @Nullable Read<P> progress, ResultRead<J, R> result) {
    JobTracker<J, P> tracker = new JobTracker<>(kind, options, scheduler, clientTimeout);
    Sleeper sleeper = new Sleeper(state);
    state.resources().startWaiting(sleeper);
    try {
      if (sleeper.ended) {
        throw closed(kind.name, jobId);
      }
      R value = pollUntilEnd(kind, jobId, started, caller, status, progress, result, tracker, sleeper);
      tracker.ended(null);
      return value;
    } catch (RuntimeException | Error e) {
      tracker.ended(e);
      throw e;
    } finally {
      state.resources().stopWaiting(sleeper);
    }
  }

  /** The polling loop of a blocking wait. */
  private <J, P, R> R pollUntilEnd(JobKind<J, P> kind, String jobId, @Nullable J started, @Nullable RequestOptions caller,
      Read<J> status, @Nullable Read<P> progress, ResultRead<J, R> result, JobTracker<J, P> tracker,
      Sleeper sleeper) {
    J job = started != null ? started : blockingRead(tracker, () -> status.read(jobId, tracker.forPoll(caller)));
    boolean isPoll = started == null;
    while (true) {
      if (tracker.read(job, isPoll) && progress != null) {
        Read<P> reader = progress;
        tracker.progress(blockingRead(tracker, () -> reader.read(jobId, tracker.forPoll(caller))));
      }
      if (tracker.finish() == JobTracker.Next.COMPLETED) {
        J done = job;
        return blockingRead(tracker, () -> result.read(jobId, done, tracker.forPoll(caller)));
      }
      if (tracker.pastDeadline()) {
        throw tracker.timedOut();
      }
      sleep(sleeper, tracker.nextDelay(), kind.name, jobId);
      if (tracker.pastDeadline()) {
        throw tracker.timedOut(); // the pause was cut to the deadline: no read at or after it
      }
      job = blockingRead(tracker, () -> status.read(jobId, tracker.forPoll(caller)));
      isPoll = true;
    }
  }

  /** Makes one read of a blocking wait; a failure for the wait's deadline becomes JobWaitTimeoutException. */
  private static <T> T blockingRead(JobTracker<?, ?> tracker, Supplier<T> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      Throwable failure = tracker.pollFailed(e);
      throw failure instanceof RuntimeException ? (RuntimeException) failure : e;
    }
  }

  /** Sleeps between two polls; close() wakes it (then fails), as does an interrupt (then fails as interrupted). */
  private void sleep(Sleeper sleeper, Duration delay, String kind, String jobId) {
    if (Thread.currentThread().isInterrupted()) {
      throw interrupted(kind, jobId, null);
    }
    try {
      if (!sleeper.ended) {
        scheduler.sleep(delay, sleeper.wake);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(kind, jobId, e);
    }
    if (sleeper.ended || state.isClosed()) {
      throw closed(kind, jobId);
    }
    if (Thread.currentThread().isInterrupted()) {
      throw interrupted(kind, jobId, null);
    }
  }

  /** A blocking wait as the client's resources see it: close() wakes its sleep. */
  private static final class Sleeper implements Resources.ExternalWait {
    private final ClientState owner;
    final CountDownLatch wake = new CountDownLatch(1);
    volatile boolean ended;

    Sleeper(ClientState owner) {
      this.owner = owner;
    }

    @Override
    public ClientState owner() {
      return owner;
    }

    @Override
    public void end() {
      ended = true;
      wake.countDown();
    }
  }

  private static MutagentIoException interrupted(String kind, String jobId, @Nullable Throwable during) {
    InterruptedIOException cause = new InterruptedIOException("interrupted");
    if (during != null) {
      cause.initCause(during);
    }
    return new MutagentIoException("waiting on " + kind + " " + jobId + " was interrupted: the wait ended, the job "
        + "goes on on the server. The thread's interrupt flag is still set", cause);
  }

  /**
   * Returns the error of a wait whose client closed while the start call was in flight: its request
   * may have reached the server, so the job may have started, under an id the wait never learned.
   */
  private static IllegalStateException closedWhileStarting(String kind) {
    return new IllegalStateException("this MutagenT client was closed while starting " + kind + ": the wait ended "
        + "before the start call answered, and its request may have reached the server, so the " + kind
        + " may have started; look for it (list them) before starting it again");
  }

  private static IllegalStateException closed(String kind, String jobId) {
    return new IllegalStateException("this MutagenT client was closed while waiting on " + kind + " " + jobId
        + "; the wait ended, the job goes on on the server");
  }

  // ---------------------------------------------------------------------------------------------
  // Async
  // ---------------------------------------------------------------------------------------------

  /**
   * Starts a job and waits for it without holding a thread between polls. Every failure arrives
   * through the future. Cancelling the future stops the wait: the call in flight is cancelled, no
   * further request is sent, and the job goes on on the server.
   *
   * @see #startAndAwait
   */
  public <J, P, R> CompletableFuture<R> startAndAwaitAsync(JobKind<J, P> kind, Supplier<CompletableFuture<J>> start,
      @Nullable RequestOptions caller, WaitOptions options, Read<CompletableFuture<J>> status,
      @Nullable Read<CompletableFuture<P>> progress, ResultRead<J, CompletableFuture<R>> result) {
    try {
      checked(options);
    } catch (IllegalArgumentException e) {
      return failed(e);
    }
    return new AsyncWait<>(kind, null, caller, options, status, progress, result).begin(start, false);
  }

  /** Waits for a job already started, from its id (the first poll is at once); see {@link #startAndAwaitAsync}. */
  public <J, P, R> CompletableFuture<R> awaitAsync(JobKind<J, P> kind, String jobId, RequestOptions caller,
      WaitOptions options, Read<CompletableFuture<J>> status, @Nullable Read<CompletableFuture<P>> progress,
      ResultRead<J, CompletableFuture<R>> result) {
    try {
      checked(options);
    } catch (IllegalArgumentException e) {
      return failed(e);
    }
    AsyncWait<J, P, R> wait = new AsyncWait<>(kind, jobId, caller, options, status, progress, result);
    return wait.begin(() -> status.read(jobId, wait.tracker.forPoll(caller)), true);
  }

  /**
   * One async wait: each read starts when the last one's future completes (on a dispatcher thread),
   * each poll after a pause on the scheduler's timer, handed to the dispatcher's executor.
   */
  private final class AsyncWait<J, P, R> implements Resources.ExternalWait {
    private final JobKind<J, P> kind;
    final JobTracker<J, P> tracker;
    private final @Nullable RequestOptions caller;
    private final Read<CompletableFuture<J>> status;
    private final @Nullable Read<CompletableFuture<P>> progress;
    private final ResultRead<J, CompletableFuture<R>> result;
    private final CompletableFuture<R> future = new CompletableFuture<>();
    private volatile @Nullable String jobId;
    private volatile @Nullable CompletableFuture<?> current;
    private volatile @Nullable Future<?> timer;
    private volatile @Nullable Future<?> deadline;

    AsyncWait(JobKind<J, P> kind, @Nullable String jobId, @Nullable RequestOptions caller, WaitOptions options,
        Read<CompletableFuture<J>> status, @Nullable Read<CompletableFuture<P>> progress,
        ResultRead<J, CompletableFuture<R>> result) {
      this.kind = kind;
      this.jobId = jobId;
      this.caller = caller;
      this.tracker = new JobTracker<>(kind, options, scheduler, clientTimeout);
      this.status = status;
      this.progress = progress;
      this.result = result;
    }

    @Override
    public ClientState owner() {
      return state;
    }

    /**
     * Ends the wait because the client closed: fails the future with the closed error first, then
     * stops polling (cancelling the call in flight would otherwise complete it with that call's
     * CancellationException).
     */
    @Override
    public void end() {
      failWith(closedError(null));
      stop();
    }

    /**
     * Returns the error of a wait ended by close(). Before the start call answered, the start
     * request may have reached the server: the job may have started, under an id the wait never
     * learned.
     */
    private IllegalStateException closedError(@Nullable Throwable cause) {
      String id = jobId;
      IllegalStateException closed = id != null ? closed(kind.name, id) : closedWhileStarting(kind.name);
      if (cause != null) {
        closed.initCause(cause);
      }
      return closed;
    }

    CompletableFuture<R> begin(Supplier<CompletableFuture<J>> first, boolean isPoll) {
      try {
        state.ensureOpen(); // closed before: nothing is sent, and the plain closed error says so
      } catch (IllegalStateException e) {
        return failed(e);
      }
      // Registered on the future itself: whoever completes it (the caller's cancel included) stops
      // the polling and forgets the wait.
      future.whenComplete((value, failure) -> {
        state.resources().stopWaiting(this);
        Future<?> watch = deadline;
        if (watch != null) {
          watch.cancel(false);
        }
        if (failure != null) {
          stop();
          tracker.ended(failure); // only the caller's cancel is not told yet: the other endings were
        }
      });
      state.resources().startWaiting(this);
      if (isPoll) {
        armDeadline(); // a resumed wait's total timeout runs from now
      }
      read(first, isPoll);
      return future;
    }

    /**
     * Starts the wait's deadline on the scheduler: at the total timeout it fails the future with
     * JobWaitTimeoutException, then cancels the call in flight. Each read's timeout is cut to the
     * same deadline, so this only makes sure of it. Before the first read there is nothing to
     * report: the read in flight then fails by its own (cut) timeout.
     */
    private void armDeadline() {
      try {
        deadline = scheduler.scheduleDeadline(tracker.timeLeft(), () -> {
          try {
            state.resources().executor().execute(this::deadlinePassed);
          } catch (RejectedExecutionException e) {
            // closed: close() ends the wait itself
          }
        });
      } catch (RejectedExecutionException e) {
        failWith(closedError(null));
        return;
      }
      if (future.isDone()) {
        Future<?> watch = deadline;
        if (watch != null) {
          watch.cancel(false);
        }
      }
    }

    private void deadlinePassed() {
      if (future.isDone() || tracker.lastRead() == null) {
        return;
      }
      failWith(tracker.timedOut());
      stop();
    }

    /**
     * Fails the wait, unless it has ended: the listener hears {@code onWaitEnd} first (what it
     * throws is added to the failure), so that it has ended its line before the caller hears of it.
     */
    private void failWith(Throwable failure) {
      if (future.isDone()) {
        return;
      }
      tracker.ended(failure);
      future.completeExceptionally(failure);
    }

    /** Stops polling: the timer's next poll and the call in flight are cancelled. */
    private void stop() {
      Future<?> next = timer;
      if (next != null) {
        next.cancel(false);
      }
      CompletableFuture<?> call = current;
      if (call != null) {
        call.cancel(false);
      }
    }

    private void read(Supplier<CompletableFuture<J>> call, boolean isPoll) {
      if (future.isDone()) {
        return;
      }
      CompletableFuture<J> reading;
      try {
        reading = call.get();
      } catch (Throwable e) {
        failWith(e);
        return;
      }
      follow(reading);
      reading.whenComplete((job, failure) -> {
        if (failure != null) {
          fail(isPoll ? tracker.pollFailed(failure) : failure);
          return;
        }
        try {
          if (!isPoll && jobId == null) {
            tracker.startClock(); // the total timeout runs from the start call's answer
            armDeadline();
          }
          onJob(job, isPoll);
        } catch (Throwable e) {
          failWith(e);
        }
      });
    }

    /** Polls the job's status after a pause, unless the pause reached the deadline: no read at or after it. */
    private void poll(String id) {
      if (future.isDone()) {
        return;
      }
      if (tracker.pastDeadline()) {
        failWith(tracker.timedOut());
        return;
      }
      read(() -> status.read(id, tracker.forPoll(caller)), true);
    }

    /** Notes the call in flight, so that stopping the wait cancels it. */
    private void follow(CompletableFuture<?> call) {
      current = call;
      if (future.isDone()) {
        call.cancel(false); // stopped while the call was being made
      }
    }

    /**
     * Fails the wait with what a read failed with. Once the wait has ended (close, cancel), the
     * failure of the read it cancelled is ignored; a read cut short by close() fails the wait with
     * the wait's own closed error, whichever of the two came first.
     */
    private void fail(Throwable failure) {
      if (future.isDone()) {
        return;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      failWith(state.isClosed() ? closedError(cause) : cause);
    }

    private void onJob(J job, boolean isPoll) {
      if (future.isDone()) {
        return;
      }
      String id = jobId;
      if (id == null) {
        id = kind.idOf.apply(job);
        jobId = id;
      }
      Read<CompletableFuture<P>> reader = progress;
      if (tracker.read(job, isPoll) && reader != null) {
        CompletableFuture<P> reading = reader.read(id, tracker.forPoll(caller));
        follow(reading);
        reading.whenComplete((read, failure) -> {
          if (failure != null) {
            fail(tracker.pollFailed(failure));
            return;
          }
          try {
            tracker.progress(read);
            afterRead(job);
          } catch (Throwable e) {
            failWith(e);
          }
        });
        return;
      }
      afterRead(job);
    }

    private void afterRead(J job) {
      if (future.isDone()) {
        return;
      }
      String id = String.valueOf(jobId);
      if (tracker.finish() == JobTracker.Next.COMPLETED) {
        CompletableFuture<R> reading = result.read(id, job, tracker.forPoll(caller));
        follow(reading);
        reading.whenComplete((value, failure) -> {
          if (failure != null) {
            fail(tracker.pollFailed(failure));
            return;
          }
          try {
            tracker.ended(null); // the listener hears the end before the caller does
          } catch (Throwable e) {
            failWith(e);
            return;
          }
          future.complete(value);
        });
        return;
      }
      if (tracker.pastDeadline()) {
        throw tracker.timedOut();
      }
      Duration delay = tracker.nextDelay();
      try {
        timer = scheduler.schedule(delay, () -> {
          try {
            state.resources().executor().execute(() -> poll(id));
          } catch (RejectedExecutionException e) {
            failWith(state.isClosed() ? closed(kind.name, id) : new IllegalStateException(
                "the next poll of " + kind.name + " " + id + " could not start: the OkHttpClient's dispatcher "
                    + "refused it (" + e.getMessage() + ")", e));
          }
        });
      } catch (RejectedExecutionException e) {
        failWith(closed(kind.name, id));
        return;
      }
      if (future.isDone()) {
        stop(); // ended while the poll was being scheduled: it must not stay queued
      }
    }
  }
}
