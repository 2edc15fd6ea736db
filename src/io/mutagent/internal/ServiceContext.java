package io.mutagent.internal;

import io.mutagent.AsyncAutoPager;
import io.mutagent.AsyncPage;
import io.mutagent.AutoPager;
import io.mutagent.Page;
import io.mutagent.RawResponse;
import io.mutagent.RequestOptions;
import io.mutagent.internal.http.Attempt;
import io.mutagent.internal.http.CallRunner;
import io.mutagent.models.PageInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import retrofit2.Call;
import retrofit2.Retrofit;

/**
 * What every generated namespace class runs its calls through: the client's Retrofit bindings
 * and its {@link CallRunner} (retries, deadline, errors, lifecycle), plus the pagers. Internal.
 */
public final class ServiceContext {
  private final Retrofit retrofit;
  private final CallRunner runner;

  /** Creates the context. */
  public ServiceContext(Retrofit retrofit, CallRunner runner) {
    this.retrofit = retrofit;
    this.runner = runner;
  }

  /** Returns the Retrofit implementation of a generated interface. */
  public <T> T api(Class<T> type) {
    return retrofit.create(type);
  }

  /**
   * Runs the call and returns its body (null for an operation without one).
   *
   * @throws IllegalArgumentException if options is null
   */
  public <T> T execute(Function<Attempt, Call<T>> calls, RequestOptions options) {
    Check.notNull("options", options, "RequestOptions.none()");
    return runner.execute(calls, options, CallRunner.body());
  }

  /**
   * Runs the call and returns the whole response.
   *
   * @throws IllegalArgumentException if options is null
   */
  public <T> RawResponse<T> executeRaw(Function<Attempt, Call<T>> calls, RequestOptions options) {
    Check.notNull("options", options, "RequestOptions.none()");
    return runner.execute(calls, options, CallRunner.rawResponse());
  }

  /** Starts the call; the future gives its body. Every failure arrives through the future. */
  public <T> CompletableFuture<T> executeAsync(Supplier<Function<Attempt, Call<T>>> calls, RequestOptions options) {
    return runner.executeAsync(checked(calls, options), options, CallRunner.body());
  }

  /** Starts the call; the future gives the whole response. Every failure arrives through the future. */
  public <T> CompletableFuture<RawResponse<T>> executeRawAsync(
      Supplier<Function<Attempt, Call<T>>> calls, RequestOptions options) {
    return runner.executeAsync(checked(calls, options), options, CallRunner.rawResponse());
  }

  private static <T> Supplier<Function<Attempt, Call<T>>> checked(
      Supplier<Function<Attempt, Call<T>>> calls, RequestOptions options) {
    return () -> {
      Function<Attempt, Call<T>> checkedCalls = calls.get();
      Check.notNull("options", options, "RequestOptions.none()");
      return checkedCalls;
    };
  }

  /**
   * Returns a lazy pager over a list operation.
   *
   * @param fetch fetches the envelope of one page by number
   * @param items the envelope's items
   * @param pagination the envelope's page info
   * @param firstPage the page to start from
   */
  public <P, T> AutoPager<T> autoPager(IntFunction<P> fetch, Function<P, List<T>> items,
      Function<P, PageInfo> pagination, int firstPage) {
    IntFunction<Page<T>> pages = new IntFunction<Page<T>>() {
      @Override
      public Page<T> apply(int number) {
        P envelope = fetch.apply(number);
        return Page.of(items.apply(envelope), pagination.apply(envelope), number, this);
      }
    };
    return AutoPager.of(() -> pages.apply(firstPage));
  }

  /** Returns a lazy async pager over a list operation; see {@link #autoPager}. */
  public <P, T> AsyncAutoPager<T> asyncAutoPager(IntFunction<CompletableFuture<P>> fetch,
      Function<P, List<T>> items, Function<P, PageInfo> pagination, int firstPage) {
    IntFunction<CompletableFuture<AsyncPage<T>>> pages = new IntFunction<CompletableFuture<AsyncPage<T>>>() {
      @Override
      public CompletableFuture<AsyncPage<T>> apply(int number) {
        IntFunction<CompletableFuture<AsyncPage<T>>> self = this;
        return fetch.apply(number).thenApply(
            envelope -> AsyncPage.of(items.apply(envelope), pagination.apply(envelope), number, self));
      }
    };
    return AsyncAutoPager.of(() -> pages.apply(firstPage));
  }
}
