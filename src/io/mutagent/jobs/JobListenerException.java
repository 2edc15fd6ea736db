package io.mutagent.jobs;

/**
 * The wait's {@link JobListener} threw (anything, {@code Error} included, which is the cause): that
 * wait ended, no other. The job goes on on the server; wait on it again with {@link #jobId()}.
 */
public final class JobListenerException extends JobException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param last the job as last read
   * @param method the listener method that threw, e.g. {@code onStatusChange}
   * @param thrown what it threw
   */
  public JobListenerException(JobSnapshot last, String method, Throwable thrown) {
    super("the JobListener's " + method + " threw " + thrown.getClass().getName() + " while waiting on " + last.kind()
        + " " + last.jobId() + "; the wait ended, the job goes on on the server (last status " + last.status() + ")",
        last, thrown);
  }
}
