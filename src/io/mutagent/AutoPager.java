package io.mutagent;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Every item of a list operation, across pages, fetched lazily with the blocking client: nothing
 * is fetched until you iterate, and a page is fetched only when the items before it are used up.
 * Each iteration starts again from the first page. Every page is fetched with the same parameters
 * and request options (retries and timeout apply per page). An empty page ends the walk.
 *
 * <pre>{@code
 * for (Prompt prompt : client.prompt().listPromptsAutoPaging()) {
 *   System.out.println(prompt.name());
 * }
 * }</pre>
 *
 * @param <T> the item type
 */
public final class AutoPager<T> implements Iterable<T> {
  private final Supplier<Page<T>> first;

  private AutoPager(Supplier<Page<T>> first) {
    this.first = first;
  }

  /**
   * Returns a pager over the pages that {@code first} starts. The client makes these; the
   * factory is public so that tests of code that uses the SDK can make one too.
   *
   * @throws NullPointerException if first is null
   */
  public static <T> AutoPager<T> of(Supplier<Page<T>> first) {
    return new AutoPager<>(Objects.requireNonNull(first, "first"));
  }

  /**
   * Fetches the first page, for walking page by page with {@link Page#nextPage()}.
   *
   * @throws io.mutagent.errors.MutagentException as the list operation does
   */
  public Page<T> firstPage() {
    return first.get();
  }

  /**
   * Returns an iterator over all items; it fetches the first page on the first {@code hasNext()}
   * and each later page when needed. Its methods throw what the list operation throws.
   */
  @Override
  public Iterator<T> iterator() {
    return new Iterator<T>() {
      private @Nullable Page<T> page;
      private @Nullable Iterator<T> items;

      @Override
      public boolean hasNext() {
        return advance().hasNext();
      }

      @Override
      public T next() {
        Iterator<T> current = advance();
        if (!current.hasNext()) {
          throw new NoSuchElementException("no more items");
        }
        return current.next();
      }

      /** Fetches the first page, then later ones while the current one is used up. */
      private Iterator<T> advance() {
        Page<T> current = page;
        Iterator<T> currentItems = items;
        if (current == null || currentItems == null) {
          current = first.get();
          currentItems = current.items().iterator();
        }
        while (!currentItems.hasNext() && current.hasNextPage()) {
          current = current.nextPage();
          currentItems = current.items().iterator();
        }
        page = current;
        items = currentItems;
        return currentItems;
      }
    };
  }

  /** Returns a sequential stream of all items, fetched lazily as the stream is consumed. */
  public Stream<T> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
  }
}
