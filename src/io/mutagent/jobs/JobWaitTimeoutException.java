package io.mutagent.jobs;

import java.time.Duration;

/**
 * The wait reached its total timeout ({@link WaitOptions.Builder#totalTimeout}) before the job
 * ended. The job is still running on the server: wait on it again with {@link #jobId()}, or cancel
 * it (for an optimization, {@code cancelOptimization}). Not a
 * {@link java.util.concurrent.CancellationException}.
 */
public final class JobWaitTimeoutException extends JobException {
  private static final long serialVersionUID = 1L;

  private final Duration totalTimeout;

  /**
   * Creates the exception.
   *
   * @param last the job as last read
   * @param totalTimeout the wait's total timeout
   */
  public JobWaitTimeoutException(JobSnapshot last, Duration totalTimeout) {
    super("stopped waiting on " + last.kind() + " " + last.jobId() + " after the total timeout of " + totalTimeout
        + " (WaitOptions.totalTimeout); the job is still running on the server (last status " + last.status()
        + "): wait on it again with its id, or cancel it", last);
    this.totalTimeout = totalTimeout;
  }

  /**
   * Creates the exception for a wait whose last read failed for the total timeout: that read's
   * timeout was cut to what was left of it, and it could not finish in time (it timed out, or had
   * to wait for the rate limiter or a {@code Retry-After} past the deadline).
   *
   * @param last the job as last read
   * @param totalTimeout the wait's total timeout
   * @param cause how the last read failed
   */
  public JobWaitTimeoutException(JobSnapshot last, Duration totalTimeout, Throwable cause) {
    super("stopped waiting on " + last.kind() + " " + last.jobId() + " at the total timeout of " + totalTimeout
        + " (WaitOptions.totalTimeout): the next read could not finish before it (" + cause.getClass().getSimpleName()
        + "); the job is still running on the server (last status " + last.status()
        + "): wait on it again with its id, or cancel it", last, cause);
    this.totalTimeout = totalTimeout;
  }

  /** Returns the wait's total timeout. */
  public Duration totalTimeout() {
    return totalTimeout;
  }
}
