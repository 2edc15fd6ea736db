package io.mutagent;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
   * completed its page. The future completes when the last page is done, or fails with the first
   * failure (of a page, or thrown by the action), after which no page is fetched.
   *
   * @throws NullPointerException if action is null
   */
  public CompletableFuture<Void> forEach(Consumer<? super T> action) {
    Objects.requireNonNull(action, "action");
    CompletableFuture<Void> done = new CompletableFuture<>();
    walk(first.get(), action, done);
    return done;
  }

  private void walk(CompletableFuture<AsyncPage<T>> pending, Consumer<? super T> action, CompletableFuture<Void> done) {
    pending.whenComplete((page, failure) -> {
      if (failure != null) {
        done.completeExceptionally(failure instanceof java.util.concurrent.CompletionException
            && failure.getCause() != null ? failure.getCause() : failure);
        return;
      }
      try {
        page.items().forEach(action);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      if (page.hasNextPage() && !done.isDone()) {
        walk(page.nextPage(), action, done);
      } else {
        done.complete(null);
      }
    });
  }
}
