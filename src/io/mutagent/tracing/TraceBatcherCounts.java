package io.mutagent.tracing;

/**
 * A snapshot of what a {@link TraceBatcher} has done since it was made. Each trace given to
 * {@code add} ends up in exactly one of {@link #queued()}, {@link #inFlight()}, {@link #sent()},
 * {@link #failed()} and {@link #dropped()}, so they add up to {@link #added()}. Immutable.
 */
public final class TraceBatcherCounts {
  private final long added;
  private final int queued;
  private final long queuedBytes;
  private final int inFlight;
  private final long sent;
  private final long failed;
  private final long dropped;
  private final long batches;

  private TraceBatcherCounts(long added, int queued, long queuedBytes, int inFlight, long sent, long failed,
      long dropped, long batches) {
    this.added = added;
    this.queued = queued;
    this.queuedBytes = queuedBytes;
    this.inFlight = inFlight;
    this.sent = sent;
    this.failed = failed;
    this.dropped = dropped;
    this.batches = batches;
  }

  /**
   * Returns counts with these values; the batcher makes them, and tests of code that reads them
   * can too.
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public static TraceBatcherCounts of(long added, int queued, long queuedBytes, int inFlight, long sent,
      long failed, long dropped, long batches) {
    if (added < 0 || queued < 0 || queuedBytes < 0 || inFlight < 0 || sent < 0 || failed < 0 || dropped < 0
        || batches < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    return new TraceBatcherCounts(added, queued, queuedBytes, inFlight, sent, failed, dropped, batches);
  }

  /** Returns how many traces were given to {@code add}, dropped ones included. */
  public long added() {
    return added;
  }

  /** Returns how many traces wait in the queue now. */
  public int queued() {
    return queued;
  }

  /**
   * Returns the estimated JSON size, in bytes, of the traces in the queue now: what
   * {@link TraceBatcherOptions#maxQueueBytes()} bounds (see there).
   */
  public long queuedBytes() {
    return queuedBytes;
  }

  /** Returns how many traces are in batches sent and not answered yet. */
  public int inFlight() {
    return inFlight;
  }

  /** Returns how many traces the server acknowledged (counted in its {@code acceptedCount}). */
  public long sent() {
    return sent;
  }

  /**
   * Returns how many traces failed for good: their batch was refused or failed after the
   * client's retries, the server accepted fewer than were sent, or the batcher closed before they
   * were acknowledged.
   */
  public long failed() {
    return failed;
  }

  /** Returns how many traces {@code add} refused: the queue was full, or the batcher closed. */
  public long dropped() {
    return dropped;
  }

  /** Returns how many {@code ingestTraces} calls the batcher made: its cost in requests. */
  public long batches() {
    return batches;
  }

  @Override
  public String toString() {
    return "TraceBatcherCounts{added=" + added + ", queued=" + queued + ", queuedBytes=" + queuedBytes
        + ", inFlight=" + inFlight + ", sent=" + sent + ", failed=" + failed + ", dropped=" + dropped
        + ", batches=" + batches + "}";
  }
}
