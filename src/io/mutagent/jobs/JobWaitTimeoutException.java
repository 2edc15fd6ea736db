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

  /** Returns the wait's total timeout. */
  public Duration totalTimeout() {
    return totalTimeout;
  }
}
