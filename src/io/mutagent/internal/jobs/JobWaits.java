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
import java.util.function.BiFunction;
import java.util.function.Function;
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

  /**
   * Creates the engine of one client.
   *
   * @param state the client's state, whose close ends its waits
   * @param scheduler the client's clock and timer (tests replace it)
   */
  public JobWaits(ClientState state, Scheduler scheduler) {
    this.state = state;
    this.scheduler = scheduler;
  }

  /**
   * Returns the options every poll of a wait is sent with: the caller's, marked as background work
   * (the rate limiter keeps its reserve for the application's own calls). Null stays null (the
   * call it is passed to refuses it).
   */
  public static @Nullable RequestOptions pollOptions(@Nullable RequestOptions options) {
    return options == null ? null : options.toBuilder().background(true).build();
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
   * @param start the start call (it is not counted as a poll)
   * @param status reads the job by id
   * @param progress reads its progress by id, for a kind with progress, else null
   * @param result gives what the wait returns once the job completed: the job, or a result read
   * @return the result
   */
  public <J, P, R> R startAndAwait(JobKind<J, P> kind, Supplier<J> start, WaitOptions options,
      Function<String, J> status, @Nullable Function<String, P> progress, BiFunction<String, J, R> result) {
    checked(options);
    J started = start.get();
    return await(kind, kind.idOf.apply(started), started, options, status, progress, result);
  }

  /**
   * Waits on the calling thread for a job already started, from its id (the first poll is at once).
   * See {@link #startAndAwait}.
   */
  public <J, P, R> R await(JobKind<J, P> kind, String jobId, WaitOptions options, Function<String, J> status,
      @Nullable Function<String, P> progress, BiFunction<String, J, R> result) {
    checked(options);
    return await(kind, jobId, null, options, status, progress, result);
  }

  private <J, P, R> R await(JobKind<J, P> kind, String jobId, @Nullable J started, WaitOptions options,
      Function<String, J> status, @Nullable Function<String, P> progress, BiFunction<String, J, R> result) {
    JobTracker<J, P> tracker = new JobTracker<>(kind, options, scheduler);
    Sleeper sleeper = new Sleeper(state);
    state.resources().startWaiting(sleeper);
    try {
      if (sleeper.ended) {
        throw closed(kind.name, jobId);
      }
      J job = started != null ? started : status.apply(jobId);
      boolean isPoll = started == null;
      while (true) {
        if (tracker.read(job, isPoll) && progress != null) {
          tracker.progress(progress.apply(jobId));
        }
        if (tracker.finish() == JobTracker.Next.COMPLETED) {
          return result.apply(jobId, job);
        }
        if (tracker.pastDeadline()) {
          throw tracker.timedOut();
        }
        sleep(sleeper, tracker.nextDelay(), kind.name, jobId);
        job = status.apply(jobId);
        isPoll = true;
      }
    } finally {
      state.resources().stopWaiting(sleeper);
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
      WaitOptions options, Function<String, CompletableFuture<J>> status,
      @Nullable Function<String, CompletableFuture<P>> progress,
      BiFunction<String, J, CompletableFuture<R>> result) {
    try {
      checked(options);
    } catch (IllegalArgumentException e) {
      return failed(e);
    }
    return new AsyncWait<>(kind, null, options, status, progress, result).begin(start, false);
  }

  /** Waits for a job already started, from its id (the first poll is at once); see {@link #startAndAwaitAsync}. */
  public <J, P, R> CompletableFuture<R> awaitAsync(JobKind<J, P> kind, String jobId, WaitOptions options,
      Function<String, CompletableFuture<J>> status, @Nullable Function<String, CompletableFuture<P>> progress,
      BiFunction<String, J, CompletableFuture<R>> result) {
    try {
      checked(options);
    } catch (IllegalArgumentException e) {
      return failed(e);
    }
    return new AsyncWait<>(kind, jobId, options, status, progress, result).begin(() -> status.apply(jobId), true);
  }

  /**
   * One async wait: each read starts when the last one's future completes (on a dispatcher thread),
   * each poll after a pause on the scheduler's timer, handed to the dispatcher's executor.
   */
  private final class AsyncWait<J, P, R> implements Resources.ExternalWait {
    private final JobKind<J, P> kind;
    private final JobTracker<J, P> tracker;
    private final Function<String, CompletableFuture<J>> status;
    private final @Nullable Function<String, CompletableFuture<P>> progress;
    private final BiFunction<String, J, CompletableFuture<R>> result;
    private final CompletableFuture<R> future = new CompletableFuture<>();
    private volatile @Nullable String jobId;
    private volatile @Nullable CompletableFuture<?> current;
    private volatile @Nullable Future<?> timer;

    AsyncWait(JobKind<J, P> kind, @Nullable String jobId, WaitOptions options,
        Function<String, CompletableFuture<J>> status, @Nullable Function<String, CompletableFuture<P>> progress,
        BiFunction<String, J, CompletableFuture<R>> result) {
      this.kind = kind;
      this.jobId = jobId;
      this.tracker = new JobTracker<>(kind, options, scheduler);
      this.status = status;
      this.progress = progress;
      this.result = result;
    }

    @Override
    public ClientState owner() {
      return state;
    }

    /** Ends the wait because the client closed: stops polling and fails the future. */
    @Override
    public void end() {
      stop();
      String id = jobId;
      future.completeExceptionally(closed(kind.name, id != null ? id : "(its start call had not answered yet)"));
    }

    CompletableFuture<R> begin(Supplier<CompletableFuture<J>> first, boolean isPoll) {
      // Registered on the future itself: whoever completes it (the caller's cancel included) stops
      // the polling and forgets the wait.
      future.whenComplete((value, failure) -> {
        state.resources().stopWaiting(this);
        if (failure != null) {
          stop();
        }
      });
      state.resources().startWaiting(this);
      read(first, isPoll);
      return future;
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
        future.completeExceptionally(e);
        return;
      }
      follow(reading);
      reading.whenComplete((job, failure) -> {
        if (failure != null) {
          fail(failure);
          return;
        }
        try {
          onJob(job, isPoll);
        } catch (Throwable e) {
          future.completeExceptionally(e);
        }
      });
    }

    /** Notes the call in flight, so that stopping the wait cancels it. */
    private void follow(CompletableFuture<?> call) {
      current = call;
      if (future.isDone()) {
        call.cancel(false); // stopped while the call was being made
      }
    }

    private void fail(Throwable failure) {
      future.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure);
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
      Function<String, CompletableFuture<P>> reader = progress;
      if (tracker.read(job, isPoll) && reader != null) {
        CompletableFuture<P> reading = reader.apply(id);
        follow(reading);
        reading.whenComplete((read, failure) -> {
          if (failure != null) {
            fail(failure);
            return;
          }
          try {
            tracker.progress(read);
            afterRead(job);
          } catch (Throwable e) {
            future.completeExceptionally(e);
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
        CompletableFuture<R> reading = result.apply(id, job);
        follow(reading);
        reading.whenComplete((value, failure) -> {
          if (failure != null) {
            fail(failure);
          } else {
            future.complete(value);
          }
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
            state.resources().executor().execute(() -> read(() -> status.apply(id), true));
          } catch (RejectedExecutionException e) {
            future.completeExceptionally(state.isClosed() ? closed(kind.name, id) : new IllegalStateException(
                "the next poll of " + kind.name + " " + id + " could not start: the OkHttpClient's dispatcher "
                    + "refused it (" + e.getMessage() + ")", e));
          }
        });
      } catch (RejectedExecutionException e) {
        future.completeExceptionally(closed(kind.name, id));
        return;
      }
      if (future.isDone()) {
        stop(); // ended while the poll was being scheduled: it must not stay queued
      }
    }
  }
}
