package io.mutagent.internal.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * A network interceptor that records on the attempt's {@link Attempt} what the retry policy needs
 * to know after a failure: whether the request got a connection (before that, nothing can have
 * been sent), whether that connection came from the pool having served an earlier request, and
 * whether the response's headers arrived. It also lets each attempt go to the network once: a
 * second pass is OkHttp resending on its own after an answer, which it refuses with
 * {@link ResendRefused} before anything is sent, carrying that answer (an error answer's body is
 * buffered, up to {@value #MAX_KEPT_BODY} bytes, in case OkHttp closes it to resend). Connections are remembered weakly, so a closed one is
 * forgotten with the pool. The memory is split in {@value #STRIPES} sets, each with its own lock,
 * chosen by the connection's identity: with one lock, up to 64 calls in flight queued on it for
 * every attempt. Internal.
 */
public final class ConnectionTracker implements Interceptor {
  private static final int STRIPES = 16;
  /** The most of an error answer's body kept for a refused resend; the SDK reads 8 KiB of one. */
  static final long MAX_KEPT_BODY = 64 * 1024;

  private final List<Set<Connection>> used = new ArrayList<>(STRIPES);

  /** Creates a tracker that remembers no connection yet. */
  public ConnectionTracker() {
    for (int i = 0; i < STRIPES; i++) {
      used.add(Collections.newSetFromMap(new WeakHashMap<>()));
    }
  }

  /** Notes the connection as used; returns whether it was used before. */
  private boolean usedBefore(Connection connection) {
    int hash = System.identityHashCode(connection);
    Set<Connection> stripe = used.get((hash ^ (hash >>> 16)) & (STRIPES - 1));
    synchronized (stripe) {
      return !stripe.add(connection);
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Attempt attempt = CallHeaders.attemptOf(chain.request());
    if (attempt == null) {
      return chain.proceed(chain.request());
    }
    if (attempt.sent) {
      Response answer = attempt.answer;
      if (answer == null) {
        throw new java.net.ProtocolException("OkHttp tried to resend a request after a success; refused");
      }
      throw new ResendRefused(answer);
    }
    attempt.sent = true;
    Connection connection = chain.connection();
    attempt.connectionReused = connection != null && usedBefore(connection);
    attempt.connectionAcquired = true;
    Response response = chain.proceed(chain.request());
    attempt.responseStarted = true;
    if (!response.isSuccessful()) {
      // Only an answer that is not a success can make OkHttp follow up; peeking leaves the body as
      // it was for whoever reads it next.
      attempt.answer = response.newBuilder().body(response.peekBody(MAX_KEPT_BODY)).build();
    }
    return response;
  }
}
