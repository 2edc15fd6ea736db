package io.mutagent.internal.http;

import io.mutagent.LogLevel;
import io.mutagent.internal.json.SecretProperties;
import io.mutagent.internal.text.KnownSecrets;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Sends each attempt to the {@link LoggingInterceptor} of the level its client asked for (a copy
 * made by {@code withOptions} may log differently from the client it shares the OkHttpClient
 * with), or straight on when that level is OFF. Internal.
 */
public final class LogRouter implements Interceptor {
  private final LoggingInterceptor info;
  private final LoggingInterceptor debug;

  /** Creates the router over {@code logger}, masking the credentials in {@code secrets}. */
  public LogRouter(System.Logger logger, KnownSecrets secrets) {
    this.info = new LoggingInterceptor(logger, LogLevel.INFO, secrets::all, SecretProperties.NAMES);
    this.debug = new LoggingInterceptor(logger, LogLevel.DEBUG, secrets::all, SecretProperties.NAMES);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Attempt attempt = CallHeaders.attemptOf(chain.request());
    LogLevel level = attempt == null ? LogLevel.OFF : attempt.plan.client.logLevel;
    switch (level) {
      case INFO:
        return info.intercept(chain);
      case DEBUG:
        return debug.intercept(chain);
      default:
        return chain.proceed(chain.request());
    }
  }
}
