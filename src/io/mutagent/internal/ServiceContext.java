package io.mutagent.internal;

import io.mutagent.RequestOptions;
import io.mutagent.errors.MutagentException;
import io.mutagent.errors.MutagentInvalidDataException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import retrofit2.Call;
import retrofit2.Callback;
import retrofit2.Response;
import retrofit2.Retrofit;

/**
 * What every namespace class runs its calls through: the client's Retrofit, its open/closed state
 * and its error mapping. Blocking calls return the body or throw; async calls complete a future on
 * OkHttp's dispatcher thread, and cancelling the future cancels the HTTP call. Internal.
 */
public final class ServiceContext {
  private final Retrofit retrofit;
  private final Resources resources;
  private final ErrorMapper errors;

  /** Creates the context. */
  public ServiceContext(Retrofit retrofit, Resources resources, ErrorMapper errors) {
    this.retrofit = retrofit;
    this.resources = resources;
    this.errors = errors;
  }

  /** Returns the Retrofit implementation of a generated interface. */
  public <T> T api(Class<T> type) {
    return retrofit.create(type);
  }

  /**
   * Runs the call and returns its body (null for an empty 2xx response).
   *
   * @throws io.mutagent.errors.MutagentApiException for an error status
   * @throws io.mutagent.errors.MutagentIoException when no response came
   * @throws MutagentInvalidDataException when the body cannot be parsed
   * @throws IllegalStateException if the client is closed
   */
  public <T> T execute(Call<T> call, RequestOptions options) {
    resources.ensureOpen();
    applyTimeout(call, options);
    Response<T> response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw errors.io(call.request(), e);
    }
    if (!response.isSuccessful()) {
      throw errors.fromResponse(response);
    }
    return response.body();
  }

  /**
   * Starts the call and returns a future of its body, completed exceptionally with the same
   * exceptions {@link #execute} throws.
   *
   * @throws IllegalStateException if the client is closed
   */
  public <T> CompletableFuture<T> executeAsync(Call<T> call, RequestOptions options) {
    resources.ensureOpen();
    applyTimeout(call, options);
    CompletableFuture<T> future = new CompletableFuture<T>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        call.cancel();
        return super.cancel(mayInterruptIfRunning);
      }
    };
    call.enqueue(new Callback<T>() {
      @Override
      public void onResponse(Call<T> done, Response<T> response) {
        if (response.isSuccessful()) {
          future.complete(response.body());
        } else {
          future.completeExceptionally(errors.fromResponse(response));
        }
      }

      @Override
      public void onFailure(Call<T> done, Throwable failure) {
        if (failure instanceof IOException) {
          future.completeExceptionally(errors.io(done.request(), (IOException) failure));
        } else if (failure instanceof MutagentException) {
          future.completeExceptionally(failure);
        } else {
          future.completeExceptionally(new MutagentException(
              done.request().method() + " " + done.request().url().encodedPath()
                  + " failed unexpectedly: " + failure, failure));
        }
      }
    });
    return future;
  }

  private static void applyTimeout(Call<?> call, RequestOptions options) {
    options.timeout().ifPresent(t -> call.timeout().timeout(t.toMillis(), TimeUnit.MILLISECONDS));
  }
}
