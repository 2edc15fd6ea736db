package io.mutagent.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A job as a wait last read it: its kind, id and status, how far it got, and the object the API
 * answered with. Immutable.
 */
public final class JobSnapshot {
  private final String kind;
  private final String jobId;
  private final String status;
  private final boolean knownStatus;
  private final boolean paused;
  private final boolean terminal;
  private final OptionalInt iteration;
  private final OptionalInt maxIterations;
  private final OptionalDouble bestScore;
  private final Duration elapsed;
  private final int requests;
  private final Object job;

  private JobSnapshot(String kind, String jobId, String status, boolean knownStatus, boolean paused, boolean terminal,
      OptionalInt iteration, OptionalInt maxIterations, OptionalDouble bestScore, Duration elapsed, int requests,
      Object job) {
    this.kind = kind;
    this.jobId = jobId;
    this.status = status;
    this.knownStatus = knownStatus;
    this.paused = paused;
    this.terminal = terminal;
    this.iteration = iteration;
    this.maxIterations = maxIterations;
    this.bestScore = bestScore;
    this.elapsed = elapsed;
    this.requests = requests;
    this.job = job;
  }

  /**
   * Makes a snapshot; the SDK's waits make them, tests of a listener may too.
   *
   * @param kind the kind of job ({@code optimization}, {@code evaluation}, {@code experiment})
   * @param jobId the job's id
   * @param status the status as the API sent it
   * @param knownStatus whether the spec lists that status (an unknown one counts as running)
   * @param paused whether the status is a paused one
   * @param terminal whether the status ends the job
   * @param iteration the finished iterations, for a job that runs in iterations
   * @param maxIterations the most iterations it runs, for such a job
   * @param bestScore the best score so far, when there is one
   * @param elapsed the time since the wait started
   * @param requests the requests the wait has made so far (status, progress and result reads)
   * @param job the object the API answered with ({@code OptimizationJob}, {@code Evaluation}, ...)
   * @return the snapshot
   * @throws NullPointerException if an argument is null
   */
  public static JobSnapshot of(String kind, String jobId, String status, boolean knownStatus, boolean paused,
      boolean terminal, OptionalInt iteration, OptionalInt maxIterations, OptionalDouble bestScore, Duration elapsed,
      int requests, Object job) {
    return new JobSnapshot(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(jobId, "jobId"),
        Objects.requireNonNull(status, "status"), knownStatus, paused, terminal,
        Objects.requireNonNull(iteration, "iteration"), Objects.requireNonNull(maxIterations, "maxIterations"),
        Objects.requireNonNull(bestScore, "bestScore"), Objects.requireNonNull(elapsed, "elapsed"), requests,
        Objects.requireNonNull(job, "job"));
  }

  /** Returns the kind of job: {@code optimization}, {@code evaluation} or {@code experiment}. */
  public String kind() {
    return kind;
  }

  /** Returns the job's id, with which a wait can be resumed ({@code waitForOptimization(id, ...)}). */
  public String jobId() {
    return jobId;
  }

  /** Returns the status as the API sent it ({@code running}, ...), known to the SDK or not. */
  public String status() {
    return status;
  }

  /** Returns whether the spec lists the status; an unknown status counts as running. */
  public boolean isKnownStatus() {
    return knownStatus;
  }

  /** Returns whether the job is paused (it moves again only once resumed). */
  public boolean isPaused() {
    return paused;
  }

  /** Returns whether the status ends the job: completed, failed or cancelled. */
  public boolean isTerminal() {
    return terminal;
  }

  /** Returns the number of finished iterations, for a job that runs in iterations (an optimization). */
  public OptionalInt iteration() {
    return iteration;
  }

  /** Returns the most iterations the job runs, for a job that runs in iterations. */
  public OptionalInt maxIterations() {
    return maxIterations;
  }

  /** Returns the best score so far, when the job reports one. */
  public OptionalDouble bestScore() {
    return bestScore;
  }

  /** Returns the time since the wait started (on the client's clock). */
  public Duration elapsed() {
    return elapsed;
  }

  /** Returns how many requests the wait has made so far: status, progress and result reads (not the start call). */
  public int requests() {
    return requests;
  }

  /** Returns the object the API last answered with: an {@code OptimizationJob}, {@code Evaluation} or {@code Experiment}. */
  public Object job() {
    return job;
  }

  @Override
  public String toString() {
    return "JobSnapshot{" + kind + " " + jobId + ", status=" + status + (knownStatus ? "" : " (unknown)")
        + (iteration.isPresent() ? ", iteration=" + iteration.getAsInt() : "")
        + (maxIterations.isPresent() ? "/" + maxIterations.getAsInt() : "")
        + (bestScore.isPresent() ? ", bestScore=" + bestScore.getAsDouble() : "")
        + ", elapsed=" + elapsed + ", requests=" + requests + "}";
  }
}
