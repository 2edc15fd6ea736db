package io.mutagent.internal.jobs;

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
import java.util.OptionalDouble;
import java.util.OptionalInt;
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
  private final long startNanos;
  private final long deadlineNanos;
  private int requests;
  private int polls;
  private @Nullable String lastStatus;
  private int lastIteration = -1;
  private int lastPoint;
  private @Nullable JobSnapshot last;
  private @Nullable J lastJob;

  JobTracker(JobKind<J, P> kind, WaitOptions options, Scheduler scheduler) {
    this.kind = kind;
    this.options = options;
    this.scheduler = scheduler;
    this.listener = options.listener();
    this.startNanos = scheduler.nanoTime();
    long total = options.totalTimeout().toNanos();
    this.deadlineNanos = startNanos + total;
  }

  /** Returns the kind's name. */
  String kind() {
    return kind.name;
  }

  /** Counts a request the wait made that is not a status or progress read (the result read). */
  void counted() {
    requests++;
  }

  /**
   * Takes a read of the job: notes it, tells the listener of a new status and of an unknown one,
   * and returns whether the progress must be read now (the iteration moved).
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
    lastIteration = Math.max(lastIteration, iteration);
    return moved;
  }

  /**
   * Takes a read of the progress: tells the listener of each point newer than the last told, in
   * order of iteration.
   *
   * @throws JobListenerException if the listener threw
   */
  void progress(P progress) {
    requests++;
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
