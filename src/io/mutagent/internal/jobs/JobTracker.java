package io.mutagent.internal.jobs;

import io.mutagent.RequestOptions;
import io.mutagent.errors.MutagentApiException;
import io.mutagent.errors.MutagentTimeoutException;
import io.mutagent.errors.QuotaExceededException;
import io.mutagent.errors.RateLimitWaitException;
import io.mutagent.internal.http.Scheduler;
import io.mutagent.jobs.JobCancelledException;
import io.mutagent.jobs.JobFailedException;
import io.mutagent.jobs.JobListener;
import io.mutagent.jobs.JobListenerException;
import io.mutagent.jobs.JobPausedException;
import io.mutagent.jobs.JobSnapshot;
import io.mutagent.jobs.JobWaitTimeoutException;
import io.mutagent.jobs.ScorePoint;
import io.mutagent.jobs.WaitOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What one wait knows of its job, shared by the blocking and the async wait: each read of the job
 * goes through {@link #read}, {@link #progress} (when {@link #read} asked for it) and
 * {@link #finish}, which calls the listener in the documented order and says how the wait goes on;
 * {@link #nextDelay} gives the pause before the next poll. Not thread-safe: one wait's steps run
 * one after another (the async wait hands them from one thread to the next through futures).
 * Internal.
 */
final class JobTracker<J, P> {
  /** How a read ends. */
  enum Next {
    /** Poll again after {@link #nextDelay}. */
    POLL,
    /** The job completed: read the result. */
    COMPLETED
  }

  private final JobKind<J, P> kind;
  private final WaitOptions options;
  private final Scheduler scheduler;
  private final @Nullable JobListener listener;
  private final @Nullable Duration clientTimeout;
  private volatile long startNanos;
  private volatile long deadlineNanos;
  private int requests;
  private int polls;
  private @Nullable String lastStatus;
  private int lastIteration = -1;
  private int lastPoint;
  private volatile @Nullable JobSnapshot last;
  private @Nullable J lastJob;
  private volatile boolean lastPollCut;
  private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Creates the tracker of one wait; its total timeout runs from now ({@link #startClock} restarts
   * it once a start call answered).
   *
   * @param clientTimeout the client's timeout of a call, or null for none
   */
  JobTracker(JobKind<J, P> kind, WaitOptions options, Scheduler scheduler, @Nullable Duration clientTimeout) {
    this.kind = kind;
    this.options = options;
    this.scheduler = scheduler;
    this.listener = options.listener();
    this.clientTimeout = clientTimeout;
    startClock();
  }

  /** Starts the wait's clock, and so its total timeout, now: after the start call answered. */
  void startClock() {
    long now = scheduler.nanoTime();
    startNanos = now;
    deadlineNanos = now + options.totalTimeout().toNanos();
  }

  /** Returns what is left of the total timeout (zero or negative once it passed). */
  Duration timeLeft() {
    return Duration.ofNanos(deadlineNanos - scheduler.nanoTime());
  }

  /**
   * Returns the options of the next read (status, progress or result): the caller's, marked as
   * background work for the rate limiter, with the timeout cut to what is left of the total timeout
   * when that is shorter than the call's own (the caller's, else the client's): so that no read,
   * its retries and waits for {@code Retry-After} or the rate limiter included, outlives the wait.
   *
   * @param caller the options given to the waiting method (null only if its start call refused them)
   */
  RequestOptions forPoll(@Nullable RequestOptions caller) {
    RequestOptions.Builder poll = (caller == null ? RequestOptions.none() : caller).toBuilder().background(true);
    Duration own = caller == null ? clientTimeout : caller.timeout().orElse(clientTimeout);
    long left = deadlineNanos - scheduler.nanoTime();
    boolean cut = own == null || left < own.toNanos();
    lastPollCut = cut;
    if (cut) {
      long millis = Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left)));
      poll.timeout(Duration.ofMillis(millis));
    }
    return poll.build();
  }

  /**
   * Returns what a read's failure ends the wait with: {@link JobWaitTimeoutException} (with the
   * failure as its cause) when the read's timeout was cut to the total timeout and it failed for
   * that deadline (timed out, the rate limiter had no room before it, a {@code Retry-After} past it,
   * or no time left for a retry); otherwise the failure itself.
   */
  Throwable pollFailed(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    JobSnapshot snapshot = last;
    if (!lastPollCut || snapshot == null || cause instanceof QuotaExceededException
        || !(cause instanceof MutagentTimeoutException || cause instanceof RateLimitWaitException
            || cause instanceof MutagentApiException)) {
      return cause;
    }
    boolean forDeadline = cause instanceof MutagentTimeoutException || cause instanceof RateLimitWaitException
        || pastDeadline();
    if (!forDeadline && cause instanceof MutagentApiException) {
      Optional<Duration> retryAfter = ((MutagentApiException) cause).rateLimit().retryAfter();
      forDeadline = retryAfter.isPresent() && retryAfter.get().toNanos() >= deadlineNanos - scheduler.nanoTime();
    }
    return forDeadline ? new JobWaitTimeoutException(snapshot, options.totalTimeout(), cause) : cause;
  }

  /** Returns the kind's name. */
  String kind() {
    return kind.name;
  }

  /**
   * Takes a read of the job: notes it, tells the listener of a new status and of an unknown one,
   * and returns whether the progress must be read now: the iteration moved, or the job ended with
   * points not yet told (the last progress read lagged behind the iteration).
   *
   * @param job what the API answered
   * @param isPoll whether it was a status read of this wait (not the start call's answer)
   * @throws JobListenerException if the listener threw
   */
  boolean read(J job, boolean isPoll) {
    if (isPoll) {
      requests++;
    }
    lastJob = job;
    JobSnapshot snapshot = snapshot(job);
    last = snapshot;
    String status = snapshot.status();
    if (!status.equals(lastStatus)) {
      lastStatus = status;
      call("onStatusChange", snapshot, null);
      if (!snapshot.isKnownStatus()) {
        call("onUnknownStatus", snapshot, null);
      }
    }
    if (!kind.hasProgress() || !snapshot.iteration().isPresent()) {
      return false;
    }
    int iteration = snapshot.iteration().getAsInt();
    boolean moved = iteration > lastIteration && iteration > lastPoint;
    // At a terminal status, the points the progress answered last may have lagged behind the
    // iteration: read them once more, so that the last points are told too.
    boolean behind = snapshot.isTerminal() && iteration > lastPoint;
    lastIteration = Math.max(lastIteration, iteration);
    return moved || behind;
  }

  /**
   * Takes a read of the progress: tells the listener of each point newer than the last told, in
   * order of iteration.
   *
   * @throws JobListenerException if the listener threw
   */
  void progress(P progress) {
    requests++;
    last = snapshot(lastJob()); // counts this read too
    java.util.function.Function<P, List<ScorePoint>> points =
        Objects.requireNonNull(kind.points, "read() asks for progress only when the kind has it");
    List<ScorePoint> fresh = new ArrayList<>(points.apply(progress));
    fresh.sort(Comparator.comparingInt(ScorePoint::iteration));
    JobSnapshot snapshot = current();
    for (ScorePoint point : fresh) {
      if (point.iteration() > lastPoint) {
        lastPoint = point.iteration();
        call("onScorePoint", snapshot, point);
      }
    }
  }

  /**
   * Ends a read: tells the listener {@code onUpdate}, then says how the wait goes on.
   *
   * @return COMPLETED, or POLL to poll again
   * @throws JobFailedException if the job failed
   * @throws JobCancelledException if the job was cancelled
   * @throws JobPausedException if it paused and the options end the wait then
   * @throws JobListenerException if the listener threw
   */
  Next finish() {
    JobSnapshot snapshot = current();
    call("onUpdate", snapshot, null);
    String status = snapshot.status();
    if (kind.completed.contains(status)) {
      return Next.COMPLETED;
    }
    if (kind.failed.contains(status)) {
      throw new JobFailedException(snapshot);
    }
    if (kind.cancelled.contains(status)) {
      throw new JobCancelledException(snapshot);
    }
    if (snapshot.isPaused() && options.endOnPause()) {
      throw new JobPausedException(snapshot, kind.resumeHint);
    }
    return Next.POLL;
  }

  /**
   * Returns the pause before the next poll: the options' interval for this poll, moved by the
   * jitter, and cut to what is left of the total timeout.
   *
   * @throws JobWaitTimeoutException if no time is left
   */
  Duration nextDelay() {
    long left = deadlineNanos - scheduler.nanoTime();
    if (left <= 0) {
      throw timedOut();
    }
    double base = options.interval(polls++).toNanos();
    double factor = 1 + options.jitter() * (2 * scheduler.random() - 1);
    long delay = Math.max(1, (long) (base * factor));
    return Duration.ofNanos(Math.min(delay, left));
  }

  /** Returns the wait-timeout failure with the last read. */
  JobWaitTimeoutException timedOut() {
    return new JobWaitTimeoutException(current(), options.totalTimeout());
  }

  /**
   * Tells the listener once that the wait ended ({@link JobListener#onWaitEnd}); nothing if the job
   * was never read. What it throws is added to the failure as suppressed, or, after a completion,
   * thrown as JobListenerException.
   *
   * @param failure what the wait ends with, or null when the job completed
   * @throws JobListenerException if the listener threw and the wait completed
   */
  void ended(@Nullable Throwable failure) {
    JobListener target = listener;
    JobSnapshot snapshot = last;
    if (target == null || snapshot == null || !ended.compareAndSet(false, true)) {
      return;
    }
    try {
      target.onWaitEnd(snapshot, failure);
    } catch (Throwable thrown) {
      if (failure == null) {
        throw new JobListenerException(snapshot, "onWaitEnd", thrown);
      }
      if (thrown != failure) {
        failure.addSuppressed(thrown);
      }
    }
  }

  /** Returns the last read, or null before the first. */
  @Nullable JobSnapshot lastRead() {
    return last;
  }

  /** Returns whether the total timeout has passed. */
  boolean pastDeadline() {
    return scheduler.nanoTime() - deadlineNanos >= 0;
  }

  /** Returns the last read; only after the first. */
  JobSnapshot current() {
    return Objects.requireNonNull(last, "a snapshot exists once the job was read");
  }

  /** Returns the job as last read; only after the first read. */
  J lastJob() {
    return Objects.requireNonNull(lastJob, "the job was read");
  }

  private JobSnapshot snapshot(J job) {
    String id = String.valueOf(kind.idOf.apply(job));
    String status = String.valueOf(kind.statusOf.apply(job));
    OptionalInt iteration = kind.iteration == null ? OptionalInt.empty() : OptionalInt.of(kind.iteration.applyAsInt(job));
    OptionalInt max = kind.maxIterations == null ? OptionalInt.empty() : OptionalInt.of(kind.maxIterations.applyAsInt(job));
    OptionalDouble best = kind.bestScore == null ? OptionalDouble.empty() : kind.bestScore.apply(job);
    return JobSnapshot.of(kind.name, id, status, kind.known(status), kind.paused.contains(status),
        kind.terminal(status), iteration, max, best, Duration.ofNanos(scheduler.nanoTime() - startNanos), requests,
        job);
  }

  /** Calls the listener; whatever it throws ends the wait with JobListenerException. */
  private void call(String method, JobSnapshot snapshot, @Nullable ScorePoint point) {
    JobListener target = listener;
    if (target == null) {
      return;
    }
    try {
      switch (method) {
        case "onStatusChange":
          target.onStatusChange(snapshot);
          break;
        case "onUnknownStatus":
          target.onUnknownStatus(snapshot);
          break;
        case "onScorePoint":
          target.onScorePoint(snapshot, Objects.requireNonNull(point, "a point"));
          break;
        default:
          target.onUpdate(snapshot);
      }
    } catch (Throwable thrown) {
      throw new JobListenerException(snapshot, method, thrown);
    }
  }
}
