package io.mutagent.jobs;

/** The job ended in a failed status on the server ({@code failed}); {@link #job()} is its last state. */
public final class JobFailedException extends JobException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param last the job as last read, in its failed status
   */
  public JobFailedException(JobSnapshot last) {
    super(last.kind() + " " + last.jobId() + " failed on the server (status " + last.status() + ")", last);
  }
}
