package io.mutagent.jobs;

/**
 * Hears a wait on a long-running job as it goes on; set with {@link WaitOptions.Builder#listener}.
 * Every method does nothing by default. For each read of the job's status (the start call's answer
 * included) the wait calls, in this order: {@link #onStatusChange} if the status differs from the
 * last one, {@link #onUnknownStatus} if the SDK does not know it, {@link #onScorePoint} for each new
 * point of an optimization's score progression (each once, in order of iteration), then
 * {@link #onUpdate}.
 *
 * <p>The calls of one wait never overlap. They run on the waiting thread (blocking client) or a
 * dispatcher thread of the client (async client), never on a JVM-shared thread. Whatever a method
 * throws, {@code Error} included, ends that wait (and no other) with {@link JobListenerException};
 * the job goes on on the server. Keep the methods short: the next poll waits for them.
 */
public interface JobListener {
  /**
   * Called when the job's status differs from the last one read, and for the first one.
   *
   * @param job the job as just read
   */
  default void onStatusChange(JobSnapshot job) {}

  /**
   * Called when the status changed to one the SDK does not know (the API added it); the wait counts
   * it as running and goes on.
   *
   * @param job the job as just read
   */
  default void onUnknownStatus(JobSnapshot job) {}

  /**
   * Called once for each new point of the job's score progression, in order of iteration (only for
   * jobs that run in iterations: optimizations).
   *
   * @param job the job as last read
   * @param point the new point
   */
  default void onScorePoint(JobSnapshot job, ScorePoint point) {}

  /**
   * Called after every read of the job's status, last.
   *
   * @param job the job as just read
   */
  default void onUpdate(JobSnapshot job) {}
}
