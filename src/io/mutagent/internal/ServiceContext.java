package io.mutagent.internal;

import io.mutagent.AsyncAutoPager;
import io.mutagent.AsyncPage;
import io.mutagent.AutoPager;
import io.mutagent.Page;
import io.mutagent.RawResponse;
import io.mutagent.RequestOptions;
import io.mutagent.internal.http.CallHeaders;
import io.mutagent.internal.http.CallRunner;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
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
   * Runs the call and returns its body (null for an operation without one).
   *
   * @param call the operation's Retrofit call, made with {@code headers}; retries run clones of it
   * @throws IllegalArgumentException if the options are null
   */
  public <T> T execute(Call<T> call, CallHeaders headers) {
    return runner.execute(headers.calls(call), options(headers), CallRunner.body());
  }

  /**
   * Runs the call and returns its body, or the whole response (a {@link RawResponse}) when
   * {@code raw}: one method for an operation's plain and raw-response views.
   *
   * @throws IllegalArgumentException if the options are null
   */
  @SuppressWarnings("unchecked") // R is T, or RawResponse<T> when raw: the generated callers say which
  public <R> R execute(Call<?> call, CallHeaders headers, boolean raw) {
    return (R) (raw ? runner.execute(headers.calls(call), options(headers), CallRunner.rawResponse())
        : runner.execute(headers.calls(call), options(headers), CallRunner.body()));
  }

  /** Starts the call; the future gives its body. Every failure arrives through the future. */
  public <T> CompletableFuture<T> executeAsync(Call<T> call, CallHeaders headers) {
    return runner.executeAsync(headers.asyncCalls(call), optionsOrNone(headers), CallRunner.body());
  }

  /**
   * Starts the call; the future gives its body, or the whole response when {@code raw}. Every
   * failure arrives through the future.
   */
  @SuppressWarnings({"unchecked", "rawtypes"}) // as execute(call, headers, raw)
  public <R> CompletableFuture<R> executeAsync(Call<?> call, CallHeaders headers, boolean raw) {
    return (CompletableFuture) (raw
        ? runner.executeAsync(headers.asyncCalls(call), optionsOrNone(headers), CallRunner.rawResponse())
        : runner.executeAsync(headers.asyncCalls(call), optionsOrNone(headers), CallRunner.body()));
  }

  private static RequestOptions options(CallHeaders headers) {
    return Check.notNull("options", headers.options(), "RequestOptions.none()");
  }

  /** The async runner asks the supplier (headers.asyncCalls) first, which refuses null options itself. */
  private static RequestOptions optionsOrNone(CallHeaders headers) {
    RequestOptions options = headers.options();
    return options == null ? RequestOptions.none() : options;
  }

  /**
   * Returns a lazy pager over a list operation, which fetches page n by calling the operation's
   * Retrofit method again with the query's {@code page} set to n; see {@link ListOperation}.
   *
   * @param api the namespace's Retrofit binding
   * @param operation the name of the list operation's Retrofit method
   * @param method its HTTP method
   * @param itemsField the envelope's property that holds the items
   * @param options the options of every page's call
   * @param arguments the method's arguments before its CallHeaders, checked; the last is the
   *     operation's query, whose page (or 1) is the first page fetched
   * @throws IllegalArgumentException if the options are null
   */
  public <T> AutoPager<T> autoPager(Object api, String operation, String method, String itemsField,
      RequestOptions options, Object[] arguments) {
    Check.notNull("options", options, "RequestOptions.none()");
    ListOperation list = new ListOperation(api, operation, itemsField, arguments);
    IntFunction<Page<T>> pages = new IntFunction<Page<T>>() {
      @Override
      public Page<T> apply(int number) {
        CallHeaders headers = headers(options, method);
        Object envelope = execute(list.call(number, headers), headers);
        return Page.of(list.<T>items(envelope), list.pagination(envelope), number, this);
      }
    };
    int first = list.firstPage();
    return AutoPager.of(() -> pages.apply(first));
  }

  /** Returns a lazy async pager over a list operation; see {@link #autoPager}. */
  public <T> AsyncAutoPager<T> asyncAutoPager(Object api, String operation, String method, String itemsField,
      RequestOptions options, Object[] arguments) {
    Check.notNull("options", options, "RequestOptions.none()");
    ListOperation list = new ListOperation(api, operation, itemsField, arguments);
    IntFunction<CompletableFuture<AsyncPage<T>>> pages = new IntFunction<CompletableFuture<AsyncPage<T>>>() {
      @Override
      public CompletableFuture<AsyncPage<T>> apply(int number) {
        IntFunction<CompletableFuture<AsyncPage<T>>> self = this;
        CallHeaders headers = headers(options, method);
        CompletableFuture<?> envelope;
        try {
          envelope = executeAsync(list.call(number, headers), headers);
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
        return envelope.thenApply(e -> AsyncPage.of(list.<T>items(e), list.pagination(e), number, self));
      }
    };
    int first = list.firstPage();
    return AsyncAutoPager.of(() -> pages.apply(first));
  }
}
