package io.mutagent;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every item of a list operation, across pages, with the async client. Nothing is fetched until
 * you start a walk; each page is requested when the one before it has been handed out, and no
 * thread waits between pages. Every page is fetched with the same parameters and request
 * options. An empty page ends the walk.
 *
 * <pre>{@code
 * client.prompt().listPromptsAutoPaging()
 *     .forEach(prompt -> System.out.println(prompt.name()))
 *     .join();
 * }</pre>
 *
 * @param <T> the item type
 */
public final class AsyncAutoPager<T> {
  private final Supplier<CompletableFuture<AsyncPage<T>>> first;

  private AsyncAutoPager(Supplier<CompletableFuture<AsyncPage<T>>> first) {
    this.first = first;
  }

  /**
   * Returns a pager over the pages that {@code first} starts. The client makes these; the
   * factory is public so that tests of code that uses the SDK can make one too.
   *
   * @throws NullPointerException if first is null
   */
  public static <T> AsyncAutoPager<T> of(Supplier<CompletableFuture<AsyncPage<T>>> first) {
    return new AsyncAutoPager<>(Objects.requireNonNull(first, "first"));
  }

  /** Starts fetching the first page, for walking page by page with {@link AsyncPage#nextPage()}. */
  public CompletableFuture<AsyncPage<T>> firstPage() {
    return first.get();
  }

  /**
   * Walks all pages from the first, handing each item to {@code action} on the thread that
   * completed its page (for pages already complete, the thread that found them so). The future
   * completes when the last page is done, or fails with the first failure (of a page, or whatever
   * the action throws, {@code Error} included), after which no page is fetched. Pages are walked
   * in a loop, not by recursion, however many are already complete.
   *
   * @throws NullPointerException if action is null
   */
  public CompletableFuture<Void> forEach(Consumer<? super T> action) {
    Objects.requireNonNull(action, "action");
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<AsyncPage<T>> firstPage;
    try {
      firstPage = first.get();
    } catch (Throwable e) {
      done.completeExceptionally(e);
      return done;
    }
    walk(firstPage, action, done);
    return done;
  }

  /**
   * Walks from the page {@code pending} will give: page after page while each is already complete,
   * and once one is not, again when it completes (on its thread, with a fresh stack).
   */
  private void walk(CompletableFuture<AsyncPage<T>> pending, Consumer<? super T> action, CompletableFuture<Void> done) {
    CompletableFuture<AsyncPage<T>> next = pending;
    try {
      while (!done.isDone()) {
        if (!next.isDone()) {
          CompletableFuture<AsyncPage<T>> waitFor = next;
          waitFor.whenComplete((page, failure) -> walk(waitFor, action, done));
          return;
        }
        AsyncPage<T> page;
        try {
          page = next.join();
        } catch (CompletionException e) {
          done.completeExceptionally(e.getCause() != null ? e.getCause() : e);
          return;
        }
        for (T item : page.items()) {
          action.accept(item);
        }
        if (!page.hasNextPage()) {
          done.complete(null);
          return;
        }
        next = page.nextPage();
      }
    } catch (Throwable e) { // a page's failure, or whatever the action throws: Error included
      done.completeExceptionally(e);
    }
  }
}
