package io.mutagent.tracing;

/**
 * What a {@link TraceBatcher#close(java.time.Duration)} could and could not deliver. While closing,
 * the batcher sends everything it holds; when its timeout passes (or the closing thread is
 * interrupted) it stops, and what was still queued is {@link #notSent()}, and what was sent but
 * not answered is {@link #unconfirmed()} (the server may have stored those). Immutable.
 */
public final class CloseResult {
  private final int sent;
  private final int failed;
  private final int notSent;
  private final int unconfirmed;
  private final long dropped;
  private final boolean timedOut;
  private final boolean interrupted;

  private CloseResult(int sent, int failed, int notSent, int unconfirmed, long dropped, boolean timedOut,
      boolean interrupted) {
    this.sent = sent;
    this.failed = failed;
    this.notSent = notSent;
    this.unconfirmed = unconfirmed;
    this.dropped = dropped;
    this.timedOut = timedOut;
    this.interrupted = interrupted;
  }

  /**
   * Returns a result with these values; the batcher makes them, and tests of code that reads
   * them can too.
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public static CloseResult of(int sent, int failed, int notSent, int unconfirmed, long dropped,
      boolean timedOut, boolean interrupted) {
    if (sent < 0 || failed < 0 || notSent < 0 || unconfirmed < 0 || dropped < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    return new CloseResult(sent, failed, notSent, unconfirmed, dropped, timedOut, interrupted);
  }

  /** Returns how many of the traces held at close the server acknowledged before it returned. */
  public int sent() {
    return sent;
  }

  /** Returns how many of the traces held at close failed for good (refused, or failed after retries). */
  public int failed() {
    return failed;
  }

  /** Returns how many traces were still queued, never sent, when the close stopped. */
  public int notSent() {
    return notSent;
  }

  /**
   * Returns how many traces were in batches sent but not answered when the close stopped: their
   * calls were cancelled, and the server may or may not have stored them.
   */
  public int unconfirmed() {
    return unconfirmed;
  }

  /** Returns how many traces {@code add} refused since the last flush (or since the batcher was made). */
  public long dropped() {
    return dropped;
  }

  /** Returns whether the close timeout passed before everything held was answered. */
  public boolean timedOut() {
    return timedOut;
  }

  /** Returns whether the closing thread was interrupted, which stopped the close at once. */
  public boolean interrupted() {
    return interrupted;
  }

  /** Returns whether everything the batcher was given reached the server: nothing failed, unsent, unconfirmed or dropped. */
  public boolean isComplete() {
    return failed == 0 && notSent == 0 && unconfirmed == 0 && dropped == 0;
  }

  @Override
  public String toString() {
    return "CloseResult{sent=" + sent + ", failed=" + failed + ", notSent=" + notSent + ", unconfirmed="
        + unconfirmed + ", dropped=" + dropped + ", timedOut=" + timedOut + ", interrupted=" + interrupted + "}";
  }
}
