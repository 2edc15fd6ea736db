package io.mutagent.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds the client's credentials to every request: an API key as {@code x-api-key}, or a bearer
 * token as {@code Authorization: Bearer ...}; with neither, the request goes out as it is (and the
 * API answers 401). Internal.
 */
public final class AuthInterceptor implements Interceptor {
  private final String apiKey;
  private final String bearerToken;

  /** Creates the interceptor; at most one of the two is non-null. */
  public AuthInterceptor(String apiKey, String bearerToken) {
    this.apiKey = apiKey;
    this.bearerToken = bearerToken;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (apiKey != null) {
      request = request.newBuilder().header("x-api-key", apiKey).build();
    } else if (bearerToken != null) {
      request = request.newBuilder().header("Authorization", "Bearer " + bearerToken).build();
    }
    return chain.proceed(request);
  }

  @Override
  public String toString() {
    return "AuthInterceptor{" + (apiKey != null ? "x-api-key" : bearerToken != null ? "bearer" : "none") + "}";
  }
}
