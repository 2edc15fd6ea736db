package io.mutagent;

import io.mutagent.models.PageInfo;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * One page of a list operation, fetched with the async client, that knows how to fetch the next
 * one with the same parameters and request options. Immutable.
 *
 * @param <T> the item type
 */
public final class AsyncPage<T> {
  private final List<T> items;
  private final PageInfo pagination;
  private final int number;
  private final IntFunction<CompletableFuture<AsyncPage<T>>> fetch;

  private AsyncPage(List<T> items, PageInfo pagination, int number, IntFunction<CompletableFuture<AsyncPage<T>>> fetch) {
    this.items = Collections.unmodifiableList(items);
    this.pagination = pagination;
    this.number = number;
    this.fetch = fetch;
  }

  /**
   * Returns a page. The client makes these; the factory is public so that tests of code that
   * uses the SDK can make one too.
   *
   * @param fetch fetches a page by number (used for {@code number + 1})
   * @throws NullPointerException if an argument is null
   */
  public static <T> AsyncPage<T> of(List<T> items, PageInfo pagination, int number,
      IntFunction<CompletableFuture<AsyncPage<T>>> fetch) {
    return new AsyncPage<>(Objects.requireNonNull(items, "items"), Objects.requireNonNull(pagination, "pagination"),
        number, Objects.requireNonNull(fetch, "fetch"));
  }

  /** Returns the items of this page (unmodifiable). */
  public List<T> items() {
    return items;
  }

  /** Returns where this page sits in the whole list. */
  public PageInfo pagination() {
    return pagination;
  }

  /** Returns whether another page follows: the server said {@code hasMore} and this page was not empty. */
  public boolean hasNextPage() {
    return pagination.hasMore() && !items.isEmpty();
  }

  /**
   * Starts fetching the next page; the future fails as the list operation's would, or with
   * {@link NoSuchElementException} when {@link #hasNextPage()} is false.
   */
  public CompletableFuture<AsyncPage<T>> nextPage() {
    if (!hasNextPage()) {
      CompletableFuture<AsyncPage<T>> none = new CompletableFuture<>();
      none.completeExceptionally(new NoSuchElementException(
          "this is the last page (page " + number + "); check hasNextPage() first"));
      return none;
    }
    return fetch.apply(number + 1);
  }

  /** Describes the page by its position and item count. */
  @Override
  public String toString() {
    return "AsyncPage{number=" + number + ", items=" + items.size() + ", hasMore=" + pagination.hasMore() + "}";
  }
}
