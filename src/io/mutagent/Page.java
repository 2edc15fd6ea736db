package io.mutagent;

import io.mutagent.models.PageInfo;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * One page of a list operation, fetched with the blocking client, that knows how to fetch the
 * next one with the same parameters and request options. Get the first from a namespace's
 * {@code ...AutoPaging} method through {@link AutoPager#firstPage()}. Immutable.
 *
 * @param <T> the item type
 */
public final class Page<T> {
  private final List<T> items;
  private final PageInfo pagination;
  private final int number;
  private final IntFunction<Page<T>> fetch;

  private Page(List<T> items, PageInfo pagination, int number, IntFunction<Page<T>> fetch) {
    this.items = Collections.unmodifiableList(items);
    this.pagination = pagination;
    this.number = number;
    this.fetch = fetch;
  }

  /**
   * Returns a page. The client makes these; the factory is public so that tests of code that
   * uses the SDK can make one too.
   *
   * @param items the page's items
   * @param pagination where the page sits, as the server said
   * @param number the page number that was asked for
   * @param fetch fetches a page by number (used for {@code number + 1})
   * @throws NullPointerException if an argument is null
   */
  public static <T> Page<T> of(List<T> items, PageInfo pagination, int number, IntFunction<Page<T>> fetch) {
    return new Page<>(Objects.requireNonNull(items, "items"), Objects.requireNonNull(pagination, "pagination"),
        number, Objects.requireNonNull(fetch, "fetch"));
  }

  /** Returns the items of this page (unmodifiable; empty for an empty page). */
  public List<T> items() {
    return items;
  }

  /** Returns where this page sits in the whole list: its number, the limit, the total and whether more follow. */
  public PageInfo pagination() {
    return pagination;
  }

  /**
   * Returns whether another page follows: the server said {@code hasMore} and this page was not
   * empty (an empty page ends the walk, so a server that keeps saying {@code hasMore} with nothing
   * in it cannot make a loop run forever).
   */
  public boolean hasNextPage() {
    return pagination.hasMore() && !items.isEmpty();
  }

  /**
   * Fetches the next page, with the same parameters and request options.
   *
   * @throws NoSuchElementException if {@link #hasNextPage()} is false
   * @throws io.mutagent.errors.MutagentException as the list operation does
   */
  public Page<T> nextPage() {
    if (!hasNextPage()) {
      throw new NoSuchElementException("this is the last page (page " + number + "); check hasNextPage() first");
    }
    return fetch.apply(number + 1);
  }

  /** Describes the page by its position and item count. */
  @Override
  public String toString() {
    return "Page{number=" + number + ", items=" + items.size() + ", hasMore=" + pagination.hasMore() + "}";
  }
}
