package io.mutagent.internal;

import io.mutagent.AsyncAutoPager;
import io.mutagent.AsyncPage;
import io.mutagent.AutoPager;
import io.mutagent.Page;
import io.mutagent.RawResponse;
import io.mutagent.RequestOptions;
import io.mutagent.internal.http.CallHeaders;
import io.mutagent.internal.http.CallRunner;
import io.mutagent.models.PageInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import retrofit2.Call;
import retrofit2.Retrofit;

/**
 * What every generated namespace class runs its calls through: the client's Retrofit bindings
 * and its {@link CallRunner} (retries, deadline, errors, lifecycle), plus the pagers. Internal.
 */
public final class ServiceContext {
  /** The methods of each Retrofit binding (a proxy class) by name, for the pagers. */
  private static final Map<Class<?>, Map<String, Method>> METHODS = new ConcurrentHashMap<>();

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
   * Retrofit method again with the query's {@code page} set to n.
   *
   * @param api the namespace's Retrofit binding
   * @param operation the name of the list operation's Retrofit method
   * @param method its HTTP method
   * @param options the options of every page's call
   * @param items the envelope's items
   * @param pagination the envelope's page info
   * @param arguments the method's arguments before its CallHeaders, checked; the last is the
   *     operation's query, whose page (or 1) is the first page fetched
   * @throws IllegalArgumentException if the options are null
   */
  public <P, T> AutoPager<T> autoPager(Object api, String operation, String method, RequestOptions options,
      Function<P, List<T>> items, Function<P, PageInfo> pagination, Object... arguments) {
    Check.notNull("options", options, "RequestOptions.none()");
    IntFunction<P> fetch = number -> {
      CallHeaders headers = headers(options, method);
      return execute(pageCall(api, operation, arguments, number, headers), headers);
    };
    IntFunction<Page<T>> pages = new IntFunction<Page<T>>() {
      @Override
      public Page<T> apply(int number) {
        P envelope = fetch.apply(number);
        return Page.of(items.apply(envelope), pagination.apply(envelope), number, this);
      }
    };
    int first = firstPage(arguments);
    return AutoPager.of(() -> pages.apply(first));
  }

  /** Returns a lazy async pager over a list operation; see {@link #autoPager}. */
  public <P, T> AsyncAutoPager<T> asyncAutoPager(Object api, String operation, String method,
      RequestOptions options, Function<P, List<T>> items, Function<P, PageInfo> pagination,
      Object... arguments) {
    Check.notNull("options", options, "RequestOptions.none()");
    IntFunction<CompletableFuture<P>> fetch = number -> {
      CallHeaders headers = headers(options, method);
      try {
        return executeAsync(pageCall(api, operation, arguments, number, headers), headers);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    };
    IntFunction<CompletableFuture<AsyncPage<T>>> pages = new IntFunction<CompletableFuture<AsyncPage<T>>>() {
      @Override
      public CompletableFuture<AsyncPage<T>> apply(int number) {
        IntFunction<CompletableFuture<AsyncPage<T>>> self = this;
        return fetch.apply(number).thenApply(
            envelope -> AsyncPage.of(items.apply(envelope), pagination.apply(envelope), number, self));
      }
    };
    int first = firstPage(arguments);
    return AsyncAutoPager.of(() -> pages.apply(first));
  }

  /** Returns the page the arguments' query asks for, or 1. */
  private static int firstPage(Object[] arguments) {
    Object page = ((QueryValues) arguments[arguments.length - 1]).get("page");
    return page instanceof Integer ? (Integer) page : 1;
  }

  /**
   * Returns the Retrofit call of page {@code number} of a list operation: its Retrofit method,
   * found by name (unique in a binding), called again with the same arguments, the query's page
   * set to {@code number}, and the page's own headers.
   */
  @SuppressWarnings("unchecked") // the operation's method returns Call<P>
  private static <P> Call<P> pageCall(Object api, String operation, Object[] arguments, int number,
      CallHeaders headers) {
    Object[] withPage = Arrays.copyOf(arguments, arguments.length + 1);
    withPage[arguments.length - 1] = ((QueryValues) arguments[arguments.length - 1]).with("page", number);
    withPage[arguments.length] = headers;
    Method method = METHODS.computeIfAbsent(api.getClass(), ServiceContext::methodsByName).get(operation);
    if (method == null) {
      throw new IllegalStateException(api.getClass().getName() + " has no method " + operation);
    }
    try {
      return (Call<P>) method.invoke(api, withPage);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException ? (RuntimeException) cause
          : new IllegalStateException(operation + " could not make its call", cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(operation + " could not make its call", e);
    }
  }

  private static Map<String, Method> methodsByName(Class<?> binding) {
    Map<String, Method> methods = new HashMap<>();
    for (Class<?> api : binding.getInterfaces()) {
      for (Method method : api.getMethods()) {
        methods.put(method.getName(), method);
      }
    }
    return methods;
  }
}
