package io.mutagent.internal.bulk;

import io.mutagent.RequestOptions;
import io.mutagent.bulk.BulkOptions;
import io.mutagent.bulk.BulkResult;
import io.mutagent.errors.MutagentException;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Sends a bulk upload's chunks one after the other through the operation's own method (so each
 * chunk has the client's retries, deadline and rate limiter), blocking or chained through the
 * async client without holding a thread. Internal: called by the generated {@code <op>InChunks}
 * methods ({@code x-mutagent-bulk}).
 *
 * <p>A chunk that fails with a {@link MutagentException} (after the retries the client allows) is
 * noted in the summary, and the upload goes on or stops as {@link BulkOptions} and
 * {@link BulkRun#failed} say; but one the rate limiter refused before sending, its window having
 * no room before the chunk's deadline, is first sent again with a longer timeout
 * ({@link BulkRun#waitLonger}), so that it waits for the window. Anything else ends the upload at once with that failure: the client
 * closed ({@link IllegalStateException}), an interrupt (the thread's flag set), a null item, a
 * listener that threw ({@link io.mutagent.bulk.BulkUploadException}).
 */
public final class BulkUploads {
  private BulkUploads() {}

  /** The items of an upload, and how many there are when known (-1 otherwise). */
  public static final class Source<T> {
    final Iterator<? extends T> items;
    final long total;

    private Source(Iterator<? extends T> items, long total) {
      this.items = items;
      this.total = total;
    }
  }

  /**
   * Returns the items of an iterable; its count is known for a collection (whose null items are
   * refused here, before anything is sent).
   *
   * @throws IllegalArgumentException if it is null, or a collection holding a null
   */
  public static <T> Source<T> of(@Nullable Iterable<? extends T> items) {
    if (items == null) {
      throw new IllegalArgumentException("items must not be null; pass a list, any Iterable, or a Stream");
    }
    long total = -1;
    if (items instanceof Collection) {
      Collection<? extends T> collection = (Collection<? extends T>) items;
      total = collection.size();
      long i = 0;
      for (T item : collection) {
        if (item == null) {
          throw new IllegalArgumentException("items[" + i + "] is null; remove it (nothing was sent)");
        }
        i++;
      }
    }
    return new Source<>(items.iterator(), total);
  }

  /**
   * Returns the items of a stream (consumed, not closed); its count is known when the stream knows
   * its size.
   *
   * @throws IllegalArgumentException if it is null
   */
  public static <T> Source<T> of(@Nullable Stream<? extends T> items) {
    if (items == null) {
      throw new IllegalArgumentException("items must not be null; pass a Stream, a list or any Iterable");
    }
    Spliterator<? extends T> spliterator = items.spliterator();
    return new Source<>(Spliterators.iterator(spliterator), spliterator.getExactSizeIfKnown());
  }

  /**
   * Runs the upload on the calling thread.
   *
   * @param maxItems the most items of one request (the spec's maxItems)
   * @param itemsField the body's array field
   * @param body makes a request body of a chunk's items
   * @param send sends one body with its chunk's options through the operation's method
   * @throws IllegalArgumentException before anything is sent for bad options, and for a null item
   *     (ending the upload there)
   * @throws IllegalStateException if the client is closed (ending the upload at once)
   * @throws io.mutagent.bulk.BulkUploadException if the listener throws
   * @throws MutagentException the chunk's failure, if the thread was interrupted (its flag left set)
   */
  public static <T, B> BulkResult<T> run(Source<T> source, @Nullable BulkOptions options,
      @Nullable RequestOptions requestOptions, int maxItems, String itemsField, Function<List<T>, B> body,
      BiConsumer<B, RequestOptions> send) {
    BulkRun<T> run = new BulkRun<>(source, options, requestOptions, maxItems, itemsField);
    BulkRun.Chunk<T> chunk = run.next();
    if (chunk == null) {
      run.tell(true);
      return run.result();
    }
    while (true) {
      boolean goOn = true;
      while (true) {
        try {
          send.accept(body.apply(chunk.items), chunk.options);
          run.sent(chunk);
        } catch (MutagentException e) {
          if (Thread.currentThread().isInterrupted()) {
            throw e;
          }
          if (run.waitLonger(chunk, e)) {
            continue;
          }
          goOn = run.failed(chunk, e);
        }
        break;
      }
      boolean finished = !goOn || !run.hasMore();
      run.tell(finished);
      if (finished) {
        return run.result();
      }
      chunk = run.next();
      if (chunk == null) { // cannot happen after hasMore(); kept for the null checker
        return run.result();
      }
    }
  }

  /**
   * Starts the upload; the future completes with the summary once the last chunk ends, each chunk
   * started when the one before it has ended (on the thread that completed it), holding no thread
   * in between. Cancelling the future cancels the chunk in flight and sends no more.
   *
   * @param send starts one body's call through the operation's async method
   * @return the summary; or a failed future with the exceptions {@link #run} throws
   */
  public static <T, B> CompletableFuture<BulkResult<T>> runAsync(Source<T> source, @Nullable BulkOptions options,
      @Nullable RequestOptions requestOptions, int maxItems, String itemsField, Function<List<T>, B> body,
      BiFunction<B, RequestOptions, CompletableFuture<?>> send) {
    BulkRun<T> run;
    try {
      run = new BulkRun<>(source, options, requestOptions, maxItems, itemsField);
    } catch (RuntimeException invalid) {
      return CompletableFuture.failedFuture(invalid);
    }
    AsyncUpload<T, B> upload = new AsyncUpload<>(run, body, send);
    upload.pump(null);
    return upload.result;
  }

  /** The async driver: a loop over chunks that already ended, a callback for one still running. */
  private static final class AsyncUpload<T, B> {
    final CompletableFuture<BulkResult<T>> result = new CompletableFuture<>();
    private final BulkRun<T> run;
    private final Function<List<T>, B> body;
    private final BiFunction<B, RequestOptions, CompletableFuture<?>> send;
    private volatile @Nullable CompletableFuture<?> current;

    AsyncUpload(BulkRun<T> run, Function<List<T>, B> body, BiFunction<B, RequestOptions, CompletableFuture<?>> send) {
      this.run = run;
      this.body = body;
      this.send = send;
      result.whenComplete((value, failure) -> {
        CompletableFuture<?> running = current;
        if (result.isCancelled() && running != null) {
          running.cancel(false);
        }
      });
    }

    /** What comes after a chunk ended. */
    private enum Step { NEXT, AGAIN, DONE }

    /**
     * Sends chunks (starting with {@code again}, if not null) until one is still running (its
     * callback goes on) or the upload ends.
     */
    void pump(BulkRun.@Nullable Chunk<T> again) {
      BulkRun.Chunk<T> chunk = again;
      while (!result.isDone()) {
        CompletableFuture<?> call;
        try {
          if (chunk == null) {
            chunk = run.next();
            if (chunk == null) {
              run.tell(true);
              result.complete(run.result());
              return;
            }
          }
          call = send.apply(body.apply(chunk.items), chunk.options);
        } catch (Throwable e) {
          result.completeExceptionally(e);
          return;
        }
        current = call;
        if (!call.isDone()) {
          BulkRun.Chunk<T> sent = chunk;
          call.whenComplete((value, failure) -> {
            Step step = ended(sent, failure);
            if (step != Step.DONE) {
              pump(step == Step.AGAIN ? sent : null);
            }
          });
          return;
        }
        Step step = ended(chunk, failureOf(call));
        if (step == Step.DONE) {
          return;
        }
        if (step == Step.NEXT) {
          chunk = null;
        }
      }
    }

    /** Notes how a chunk ended and tells the listener; says what comes next. */
    private Step ended(BulkRun.Chunk<T> chunk, @Nullable Throwable failure) {
      try {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        boolean goOn = true;
        if (cause == null) {
          run.sent(chunk);
        } else if (cause instanceof MutagentException) {
          if (run.waitLonger(chunk, (MutagentException) cause)) {
            return result.isDone() ? Step.DONE : Step.AGAIN;
          }
          goOn = run.failed(chunk, (MutagentException) cause);
        } else {
          result.completeExceptionally(cause);
          return Step.DONE;
        }
        boolean finished = !goOn || !run.hasMore();
        run.tell(finished);
        if (finished) {
          result.complete(run.result());
          return Step.DONE;
        }
        return result.isDone() ? Step.DONE : Step.NEXT;
      } catch (Throwable e) {
        result.completeExceptionally(e);
        return Step.DONE;
      }
    }

    private static @Nullable Throwable failureOf(CompletableFuture<?> done) {
      try {
        done.get();
        return null;
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (CancellationException e) {
        return e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return e;
      }
    }
  }
}
