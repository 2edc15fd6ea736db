package io.mutagent.bulk;

import java.util.ArrayList;
import java.util.List;

/**
 * The summary of a bulk upload: the items added, the chunks sent, the chunks that failed with
 * their error and their items, and whether it stopped before the end. Immutable.
 *
 * @param <T> the type of one item
 */
public final class BulkResult<T> {
  private final long itemsAdded;
  private final int chunksSent;
  private final List<FailedChunk<T>> failedChunks;
  private final boolean stopped;

  /**
   * Creates the value; the SDK does this.
   *
   * @param itemsAdded the items of the chunks the server accepted
   * @param chunksSent the chunks the server accepted
   * @param failedChunks the chunks that failed, in order
   * @param stopped whether the upload stopped before reading all the items
   */
  public BulkResult(long itemsAdded, int chunksSent, List<FailedChunk<T>> failedChunks, boolean stopped) {
    this.itemsAdded = itemsAdded;
    this.chunksSent = chunksSent;
    this.failedChunks = List.copyOf(failedChunks);
    this.stopped = stopped;
  }

  /** Returns the items added: those of the chunks the server accepted. */
  public long itemsAdded() {
    return itemsAdded;
  }

  /** Returns the chunks the server accepted. */
  public int chunksSent() {
    return chunksSent;
  }

  /** Returns the chunks that failed, in order, each with its error and items (unmodifiable). */
  public List<FailedChunk<T>> failedChunks() {
    return failedChunks;
  }

  /** Returns the items of all the failed chunks, in order: none of them was added. */
  public List<T> failedItems() {
    List<T> items = new ArrayList<>();
    failedChunks.forEach(chunk -> items.addAll(chunk.items()));
    return items;
  }

  /**
   * Returns whether the upload stopped before reading all the items: at the first failed chunk
   * ({@link BulkOptions.Builder#stopOnFirstFailure}), or at a failure every later chunk would meet
   * too (401, 403, 404, a spent daily quota, a window the rate limiter could not wait for within
   * eight times the chunk's timeout), which is then the last of {@link #failedChunks()}.
   */
  public boolean stopped() {
    return stopped;
  }

  /** Returns whether every item was added: no chunk failed and the upload did not stop. */
  public boolean succeeded() {
    return failedChunks.isEmpty() && !stopped;
  }

  @Override
  public String toString() {
    return "BulkResult{itemsAdded=" + itemsAdded + ", chunksSent=" + chunksSent + ", failedChunks="
        + failedChunks + (stopped ? ", stopped" : "") + "}";
  }
}
