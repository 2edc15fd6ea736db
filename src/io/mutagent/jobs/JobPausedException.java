package io.mutagent.jobs;

/**
 * The job paused and the wait was set to end then ({@link WaitOptions.Builder#endOnPause}). The job
 * stays paused on the server until it is resumed (for an optimization, {@code resumeOptimization});
 * wait on it again with its id.
 */
public final class JobPausedException extends JobException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param last the job as last read, in its paused status
   * @param resumeHint how to resume the job, e.g. "resume it with resumeOptimization", or empty
   */
  public JobPausedException(JobSnapshot last, String resumeHint) {
    super(last.kind() + " " + last.jobId() + " is paused (status " + last.status() + "); the wait ended as set "
        + "(WaitOptions.endOnPause)" + (resumeHint.isEmpty() ? "" : "; " + resumeHint), last);
  }
}
