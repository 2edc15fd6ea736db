package io.mutagent.internal.http;

import java.io.IOException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * A network interceptor that records on the attempt's {@link Attempt} what the retry policy needs
 * to know after a failure: whether the request got a connection (before that, nothing can have
 * been sent), whether that connection came from the pool having served an earlier request, and
 * whether the response's headers arrived. Connections are remembered weakly, so a closed one is
 * forgotten with the pool. Internal.
 */
public final class ConnectionTracker implements Interceptor {
  private final Set<Connection> used = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  @Override
  public Response intercept(Chain chain) throws IOException {
    Attempt attempt = CallHeaders.attemptOf(chain.request());
    if (attempt == null) {
      return chain.proceed(chain.request());
    }
    Connection connection = chain.connection();
    attempt.connectionReused = connection != null && !used.add(connection);
    attempt.connectionAcquired = true;
    Response response = chain.proceed(chain.request());
    attempt.responseStarted = true;
    return response;
  }
}
