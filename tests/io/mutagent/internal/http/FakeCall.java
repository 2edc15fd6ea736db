package io.mutagent.internal.http;

import okhttp3.Request;
import okio.Timeout;
import retrofit2.Call;
import retrofit2.Callback;
import retrofit2.Response;

/** A Retrofit call that only records being cancelled, or fails to, for the watch's tests. */
final class FakeCall implements Call<Object> {
  volatile boolean canceled;
  volatile boolean timedOutWhenCancelled;
  volatile Attempt attempt;
  /** When set, cancel() records the cancellation and then throws, as a failing EventListener would. */
  volatile boolean cancelThrows;

  @Override
  public Response<Object> execute() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void enqueue(Callback<Object> callback) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean isExecuted() {
    return true;
  }

  @Override
  public void cancel() {
    Attempt mine = attempt;
    timedOutWhenCancelled = mine != null && mine.timedOut;
    canceled = true;
    if (cancelThrows) {
      throw new IllegalStateException("an EventListener.canceled that fails");
    }
  }

  @Override
  public boolean isCanceled() {
    return canceled;
  }

  @Override
  public Call<Object> clone() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Request request() {
    return new Request.Builder().url("http://localhost/").build();
  }

  @Override
  public Timeout timeout() {
    return Timeout.NONE;
  }
}
