package io.mutagent.internal.http;

import io.mutagent.RequestOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The one step that turns Retrofit's request into the SDK's: in a single copy of the request it
 * adds {@code User-Agent} and {@code Accept: application/json} (unless set), the call's extra
 * headers and query parameters, the credential read for this attempt, the scope ids, the
 * {@code Idempotency-Key} of a POST or PATCH, and {@code X-Mutagent-Retry-Count} on a retry; and
 * it applies the call's connect, read and write timeouts. The first application interceptor, so
 * the user's own interceptors see the request as it goes out. Internal.
 */
public final class HeadersInterceptor implements Interceptor {
  /** The SDK's version, from the jar's build metadata. */
  public static final String VERSION = readVersion();
  /** {@code mutagent-java/0.1.0 (Java 17; Linux)}. */
  public static final String USER_AGENT = "mutagent-java/" + VERSION + " (Java "
      + System.getProperty("java.specification.version") + "; " + System.getProperty("os.name") + ")";
  /** The header a retry carries: 1 on the first retry, 2 on the second. */
  public static final String RETRY_COUNT = "X-Mutagent-Retry-Count";

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Attempt attempt = request.tag(Attempt.class);
    if (attempt == null) {
      return chain.proceed(request); // not a call of the SDK's services
    }
    CallPlan plan = attempt.plan;
    RequestOptions options = plan.options;
    Request.Builder out = request.newBuilder();
    if (request.header("User-Agent") == null) {
      out.header("User-Agent", USER_AGENT);
    }
    if (request.header("Accept") == null) {
      out.header("Accept", "application/json");
    }
    for (Map.Entry<String, String> header : options.headers().entrySet()) {
      out.header(header.getKey(), header.getValue());
    }
    if (!options.queryParameters().isEmpty()) {
      HttpUrl.Builder url = request.url().newBuilder();
      for (Map.Entry<String, List<String>> parameter : options.queryParameters().entrySet()) {
        for (String value : parameter.getValue()) {
          url.addQueryParameter(parameter.getKey(), value);
        }
      }
      out.url(url.build());
    }
    if (attempt.authName != null) {
      out.header(attempt.authName, attempt.authValue);
    }
    if (plan.workspaceId != null) {
      out.header("x-workspace-id", plan.workspaceId);
    }
    if (plan.organizationId != null) {
      out.header("x-organization-id", plan.organizationId);
    }
    String method = request.method();
    if (method.equals("POST") || method.equals("PATCH")) {
      out.header("Idempotency-Key", plan.idempotencyKey());
    }
    if (attempt.retryCount > 0) {
      out.header(RETRY_COUNT, Integer.toString(attempt.retryCount));
    }
    Chain timed = chain;
    if (plan.socketMillis > 0) {
      timed = chain.withConnectTimeout(plan.connectMillis, TimeUnit.MILLISECONDS)
          .withReadTimeout(plan.socketMillis, TimeUnit.MILLISECONDS)
          .withWriteTimeout(plan.socketMillis, TimeUnit.MILLISECONDS);
    }
    return timed.proceed(out.build());
  }

  private static String readVersion() {
    try (InputStream in = HeadersInterceptor.class.getResourceAsStream("/io/mutagent/version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
