package io.mutagent.tracing;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What became of the traces a {@link TraceBatcher#flush()} waited for: those queued or in flight
 * when it was called, each now acknowledged by the server ({@link #sent()}) or failed for good
 * ({@link #failed()}); plus the traces refused since the previous flush ({@link #dropped()}).
 * Immutable.
 */
public final class FlushResult {
  private final int sent;
  private final int failed;
  private final long dropped;
  private final @Nullable Throwable firstError;

  private FlushResult(int sent, int failed, long dropped, @Nullable Throwable firstError) {
    this.sent = sent;
    this.failed = failed;
    this.dropped = dropped;
    this.firstError = firstError;
  }

  /**
   * Returns a result with these values; the batcher makes them, and tests of code that reads
   * them can too.
   *
   * @param firstError why the first failed trace failed, or null when none failed
   * @throws IllegalArgumentException if a count is negative
   */
  public static FlushResult of(int sent, int failed, long dropped, @Nullable Throwable firstError) {
    if (sent < 0 || failed < 0 || dropped < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    return new FlushResult(sent, failed, dropped, firstError);
  }

  /** Returns how many of the traces waited for the server acknowledged. */
  public int sent() {
    return sent;
  }

  /** Returns how many of the traces waited for failed for good (see {@link TraceBatcherCounts#failed()}). */
  public int failed() {
    return failed;
  }

  /** Returns how many traces {@code add} refused since the previous flush (or since the batcher was made). */
  public long dropped() {
    return dropped;
  }

  /** Returns why the first failed trace failed, if one did. */
  public Optional<Throwable> firstError() {
    return Optional.ofNullable(firstError);
  }

  /** Returns whether every trace added before the flush reached the server: none failed, none dropped. */
  public boolean isComplete() {
    return failed == 0 && dropped == 0;
  }

  @Override
  public String toString() {
    return "FlushResult{sent=" + sent + ", failed=" + failed + ", dropped=" + dropped
        + (firstError == null ? "" : ", firstError=" + firstError.getClass().getSimpleName()) + "}";
  }
}
