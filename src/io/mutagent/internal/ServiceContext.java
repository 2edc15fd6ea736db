package io.mutagent.internal;

import io.mutagent.AsyncAutoPager;
import io.mutagent.AsyncPage;
import io.mutagent.AutoPager;
import io.mutagent.Page;
import io.mutagent.RawResponse;
import io.mutagent.RequestOptions;
import io.mutagent.internal.cache.ChangeFeed;
import io.mutagent.internal.http.CallHeaders;
import io.mutagent.internal.http.CallRunner;
import io.mutagent.internal.jobs.JobWaits;
import io.mutagent.models.PageInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;
import retrofit2.Call;
import retrofit2.Retrofit;

/**
 * What every generated namespace class runs its calls through: the client's Retrofit bindings
 * and its {@link CallRunner} (retries, deadline, errors, lifecycle), plus the pagers and the
 * waits on long-running jobs. Internal.
 */
public final class ServiceContext {
  private final Retrofit retrofit;
  private final CallRunner runner;
  private final ChangeFeed changes;
  private final String scope;
  private final JobWaits jobs;


  /**
   * Creates the context.
   *
   * @param changes where the writes marked {@code x-mutagent-changes} are published
   * @param scope the client's workspace scope ({@link ChangeFeed#scopeOf})
   * @param jobs the engine of the waiting methods of long-running jobs
   */
  public ServiceContext(Retrofit retrofit, CallRunner runner, ChangeFeed changes, String scope, JobWaits jobs) {
    this.retrofit = retrofit;
    this.runner = runner;
    this.changes = changes;
    this.scope = scope;
    this.jobs = jobs;
  }

  /** Returns the engine of the waiting methods of long-running jobs ({@code x-mutagent-job}). */
  public JobWaits jobs() {
    return jobs;
  }

  /** A write that changes one resource, published to the client's caches when the call ends. */
  public static final class Change {
    final String resource;
    final String id;

    Change(String resource, String id) {
      this.resource = resource;
      this.id = id;
    }
  }

  /**
   * Returns the change an operation marked {@code x-mutagent-changes} makes, for
   * {@link #execute(Call, CallHeaders, boolean, Change)}.
   */
  public Change change(String resource, String id) {
    return new Change(resource, id);
  }

  /**
   * Runs the call as {@link #execute(Call, CallHeaders, boolean)} does, then, however it ended
   * (the server may have acted on a write that failed), tells the client's caches that the
   * resource changed.
   */
  public <R> R execute(Call<?> call, CallHeaders headers, boolean raw, Change change) {
    try {
      return executeCall(call, headers, raw);
    } finally {
      changes.publish(scopeOf(headers), change.resource, change.id);
    }
  }

  /**
   * Returns the workspace scope a call acts in: its own {@code RequestOptions.workspaceId} when it
   * sets one, else the client's. A write published under the client's scope while the call named
   * another workspace would leave that workspace's caches serving the old prompt.
   */
  private String scopeOf(CallHeaders headers) {
    RequestOptions options = headers.options();
    if (options != null) {
      java.util.Optional<String> workspace = options.workspaceId();
      if (workspace.isPresent()) {
        return ChangeFeed.scopeOf(workspace.get());
      }
    }
    return scope;
  }

  /**
   * Starts the call as {@link #executeAsync(Call, CallHeaders, boolean)} does; when it ends, however
   * it ended, tells the client's caches that the resource changed, before the returned future
   * completes (so a cache read in a callback sees the change). Cancelling the returned future
   * cancels the call.
   */
  public <R> CompletableFuture<R> executeAsync(Call<?> call, CallHeaders headers, boolean raw, Change change) {
    CompletableFuture<R> running = executeCallAsync(call, headers, raw);
    CompletableFuture<R> answer = new CompletableFuture<>();
    running.whenComplete((value, failure) -> {
      try {
        changes.publish(scopeOf(headers), change.resource, change.id);
      } finally {
        if (failure != null) {
          answer.completeExceptionally(failure);
        } else {
          answer.complete(value);
        }
      }
    });
    answer.whenComplete((value, failure) -> {
      if (answer.isCancelled()) {
        running.cancel(false);
      }
    });
    return answer;
  }

  /** Returns the Retrofit implementation of a generated interface. */
  public <T> T api(Class<T> type) {
    return retrofit.create(type);
  }

  /**
   * Returns the headers of a call answered in JSON, to pass to its Retrofit method.
   *
   * @param options the call's options, checked when the call runs
   * @param method the operation's HTTP method
   */
  public CallHeaders headers(RequestOptions options, String method) {
    return new CallHeaders(options, method, CallHeaders.JSON);
  }

  /** Returns the headers of a call answered in {@code accept}; see {@link #headers(RequestOptions, String)}. */
  public CallHeaders headers(RequestOptions options, String method, String accept) {
    return new CallHeaders(options, method, accept);
  }

  /**
   * Runs the call and returns its body (null for an operation without one), or the whole response
   * (a {@link RawResponse}) when {@code raw}: one method for an operation's plain and raw-response
   * views.
   *
   * @param call the operation's Retrofit call, made with {@code headers}; retries run clones of it
   * @throws IllegalArgumentException if the options are null
   */
  public <R> R execute(Call<?> call, CallHeaders headers, boolean raw) {
    return executeCall(call, headers, raw);
  }

  /**
   * Starts the call; the future gives its body, or the whole response when {@code raw}. Failures
   * of the call arrive through the future.
   *
   * @throws IllegalArgumentException if the options are null (the generated async methods turn it
   *     into a failed future)
   */
  public <R> CompletableFuture<R> executeAsync(Call<?> call, CallHeaders headers, boolean raw) {
    return executeCallAsync(call, headers, raw);
  }

  @SuppressWarnings("unchecked") // R is T, or RawResponse<T> when raw: the generated callers say which
  private <T, R> R executeCall(Call<T> call, CallHeaders headers, boolean raw) {
    return (R) runner.execute(headers.calls(call), options(headers), result(raw));
  }

  @SuppressWarnings("unchecked") // as executeCall
  private <T, R> CompletableFuture<R> executeCallAsync(Call<T> call, CallHeaders headers, boolean raw) {
    return (CompletableFuture<R>) runner.executeAsync(headers.calls(call), options(headers), result(raw));
  }

  /** What a call gives: the whole response when {@code raw}, else its body. */
  private static <T> CallRunner.Result<T, ?> result(boolean raw) {
    return raw ? CallRunner.<T>rawResponse() : CallRunner.<T>body();
  }

  private static RequestOptions options(CallHeaders headers) {
    return Check.notNull("options", headers.options(), "RequestOptions.none()");
  }

  /**
   * Returns a lazy pager over a list operation: page {@code n} is {@code fetch.apply(n)}, the
   * operation called again with the query's page set to n; its items and page info are read
   * through the envelope's accessors.
   *
   * @param fetch calls the operation for one page (checks and retries included)
   * @param items the envelope's items accessor
   * @param pagination the envelope's page-info accessor
   * @param firstPage the page the walk starts at
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
