package io.mutagent.bulk;

import io.mutagent.errors.MutagentException;
import java.util.List;

/**
 * One chunk of a bulk upload that failed: which one, its items, its error and the
 * {@code Idempotency-Key} it was sent with. Immutable.
 *
 * <p>Sending its items again with the same key (in {@code RequestOptions.idempotencyKey}) is safe
 * even when the server may have acted on the chunk (a timeout): the API acts at most once per key.
 *
 * @param <T> the type of one item
 */
public final class FailedChunk<T> {
  private final int index;
  private final long firstItemIndex;
  private final List<T> items;
  private final MutagentException error;
  private final String idempotencyKey;

  /**
   * Creates the value; the SDK does this.
   *
   * @param index the chunk's number in the upload, from 0
   * @param firstItemIndex the position of its first item among the upload's items, from 0
   * @param items its items, in order
   * @param error why it failed
   * @param idempotencyKey the key it was sent with
   */
  public FailedChunk(int index, long firstItemIndex, List<T> items, MutagentException error, String idempotencyKey) {
    this.index = index;
    this.firstItemIndex = firstItemIndex;
    this.items = List.copyOf(items);
    this.error = error;
    this.idempotencyKey = idempotencyKey;
  }

  /** Returns the chunk's number in the upload, from 0. */
  public int index() {
    return index;
  }

  /** Returns the position of the chunk's first item among the upload's items, from 0. */
  public long firstItemIndex() {
    return firstItemIndex;
  }

  /** Returns the chunk's items, in order (unmodifiable). None of them was added. */
  public List<T> items() {
    return items;
  }

  /** Returns why the chunk failed (after the retries the client allows). */
  public MutagentException error() {
    return error;
  }

  /** Returns the {@code Idempotency-Key} the chunk was sent with. */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  @Override
  public String toString() {
    return "FailedChunk{index=" + index + ", items " + firstItemIndex + ".." + (firstItemIndex + items.size() - 1)
        + ", error=" + error.getClass().getSimpleName() + ": " + error.getMessage() + "}";
  }
}
