package io.mutagent.jobs;

/**
 * The job was cancelled on the server (for an optimization, by {@code cancelOptimization}, from
 * this or another client); {@link #job()} is its last state. Not a
 * {@link java.util.concurrent.CancellationException}: the job itself ended, not just the wait.
 */
public final class JobCancelledException extends JobException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param last the job as last read, in its cancelled status
   */
  public JobCancelledException(JobSnapshot last) {
    super(last.kind() + " " + last.jobId() + " was cancelled on the server (status " + last.status() + ")", last);
  }
}
