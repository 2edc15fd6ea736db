package io.mutagent.jobs;

import io.mutagent.errors.MutagentException;

/**
 * A wait on a long-running job that ended without the finished job: the job failed, was cancelled,
 * paused (with {@link WaitOptions.Builder#endOnPause}), the wait timed out, or its listener threw.
 * Carries the job's id (to resume the wait with, where the job goes on), the status last read and
 * the object last read. Never a {@link java.util.concurrent.CancellationException}: that means
 * only that the caller cancelled a future.
 */
public class JobException extends MutagentException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String jobId;
  private final String status;
  private final transient Object job;

  /**
   * Creates the exception.
   *
   * @param message what happened and what to do
   * @param last the job as last read
   */
  protected JobException(String message, JobSnapshot last) {
    super(message);
    this.kind = last.kind();
    this.jobId = last.jobId();
    this.status = last.status();
    this.job = last.job();
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what happened and what to do
   * @param last the job as last read
   * @param cause what caused it
   */
  protected JobException(String message, JobSnapshot last, Throwable cause) {
    super(message, cause);
    this.kind = last.kind();
    this.jobId = last.jobId();
    this.status = last.status();
    this.job = last.job();
  }

  /** Returns the kind of job: {@code optimization}, {@code evaluation} or {@code experiment}. */
  public String kind() {
    return kind;
  }

  /** Returns the job's id. */
  public String jobId() {
    return jobId;
  }

  /** Returns the status last read, as the API sent it. */
  public String status() {
    return status;
  }

  /**
   * Returns the object last read ({@code OptimizationJob}, {@code Evaluation}, {@code Experiment});
   * not kept when the exception is serialized (then null).
   */
  public Object job() {
    return job;
  }
}
