package io.mutagent.internal.http;

import io.mutagent.RequestOptions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Applies to each attempt what Retrofit does not: the call's extra query parameters (in one copy
 * of the request, made only when there are some) and its connect, read and write timeouts. The
 * headers are already in the request, from {@link CallHeaders}. The first application interceptor,
 * so the user's own interceptors see the request as it goes out; it also marks the attempt as
 * running (out of the dispatcher's queue, see {@link DeadlineWatch}). Internal.
 */
public final class CallOptionsInterceptor implements Interceptor {
  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Attempt attempt = CallHeaders.attemptOf(request);
    if (attempt == null) {
      return chain.proceed(request); // not a call of the SDK's services
    }
    attempt.running = true;
    CallPlan plan = attempt.plan;
    RequestOptions options = plan.options;
    if (!options.queryParameters().isEmpty()) {
      HttpUrl.Builder url = request.url().newBuilder();
      for (Map.Entry<String, List<String>> parameter : options.queryParameters().entrySet()) {
        for (String value : parameter.getValue()) {
          url.addQueryParameter(parameter.getKey(), value);
        }
      }
      request = request.newBuilder().url(url.build()).build();
    }
    Chain timed = chain;
    if (plan.socketMillis > 0) {
      timed = chain.withConnectTimeout(plan.connectMillis, TimeUnit.MILLISECONDS)
          .withReadTimeout(plan.socketMillis, TimeUnit.MILLISECONDS)
          .withWriteTimeout(plan.socketMillis, TimeUnit.MILLISECONDS);
    }
    return timed.proceed(request);
  }
}
