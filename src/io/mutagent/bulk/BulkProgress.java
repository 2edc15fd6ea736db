package io.mutagent.bulk;

import java.util.OptionalLong;

/** Where a bulk upload stands after a chunk: items and chunks sent and failed. Immutable. */
public final class BulkProgress {
  private final long itemsSent;
  private final long itemsFailed;
  private final long total;
  private final int chunksSent;
  private final int chunksFailed;
  private final boolean finished;

  /**
   * Creates the value; the SDK does this.
   *
   * @param itemsSent the items of the chunks the server accepted
   * @param itemsFailed the items of the chunks that failed
   * @param total how many items the upload has, or -1 when unknown (a stream of unknown size)
   * @param chunksSent the chunks the server accepted
   * @param chunksFailed the chunks that failed
   * @param finished whether this is the upload's last progress
   */
  public BulkProgress(long itemsSent, long itemsFailed, long total, int chunksSent, int chunksFailed,
      boolean finished) {
    this.itemsSent = itemsSent;
    this.itemsFailed = itemsFailed;
    this.total = total;
    this.chunksSent = chunksSent;
    this.chunksFailed = chunksFailed;
    this.finished = finished;
  }

  /** Returns the items of the chunks the server accepted (added). */
  public long itemsSent() {
    return itemsSent;
  }

  /** Returns the items of the chunks that failed (not added; see {@link BulkResult#failedChunks()}). */
  public long itemsFailed() {
    return itemsFailed;
  }

  /**
   * Returns how many items the upload has, when known: the size of a collection, or of a stream
   * that knows its size; empty for any other iterable or stream.
   */
  public OptionalLong total() {
    return total < 0 ? OptionalLong.empty() : OptionalLong.of(total);
  }

  /** Returns the chunks the server accepted. */
  public int chunksSent() {
    return chunksSent;
  }

  /** Returns the chunks that failed. */
  public int chunksFailed() {
    return chunksFailed;
  }

  /** Returns the chunks done, accepted or failed. */
  public int chunksDone() {
    return chunksSent + chunksFailed;
  }

  /** Returns whether this is the last progress of the upload (every item handled, or it stopped). */
  public boolean finished() {
    return finished;
  }

  @Override
  public String toString() {
    return "BulkProgress{itemsSent=" + itemsSent + ", itemsFailed=" + itemsFailed
        + (total >= 0 ? ", total=" + total : "") + ", chunksSent=" + chunksSent + ", chunksFailed=" + chunksFailed
        + (finished ? ", finished" : "") + "}";
  }
}
