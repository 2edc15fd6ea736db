package io.mutagent.internal;

import io.mutagent.RequestOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Applies a call's {@link RequestOptions} (carried as the request's tag): its extra headers, and
 * its timeout to connecting, reading and writing. (The whole-call timeout is set on the call before
 * it starts, by {@link ServiceContext}.) Internal.
 */
public final class RequestOptionsInterceptor implements Interceptor {
  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    RequestOptions options = request.tag(RequestOptions.class);
    if (options == null) {
      return chain.proceed(request);
    }
    if (!options.headers().isEmpty()) {
      Request.Builder builder = request.newBuilder();
      for (Map.Entry<String, String> header : options.headers().entrySet()) {
        builder.header(header.getKey(), header.getValue());
      }
      request = builder.build();
    }
    Chain adjusted = chain;
    if (options.timeout().isPresent()) {
      int millis = (int) Math.min(Integer.MAX_VALUE, options.timeout().map(Duration::toMillis).get());
      adjusted = chain.withConnectTimeout(millis, TimeUnit.MILLISECONDS)
          .withReadTimeout(millis, TimeUnit.MILLISECONDS)
          .withWriteTimeout(millis, TimeUnit.MILLISECONDS);
    }
    return adjusted.proceed(request);
  }
}
