package io.mutagent;

import io.mutagent.internal.http.Scheduler;
import io.mutagent.ratelimit.RateLimits;
import java.time.Duration;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/** A client's resolved, validated configuration. Immutable; never prints a secret. */
final class ClientConfig {
  final @Nullable String apiKey;
  final @Nullable String bearerToken;
  final @Nullable Supplier<String> apiKeySupplier;
  final @Nullable Supplier<String> bearerTokenSupplier;
  final HttpUrl serverUrl;
  /** The whole-call limit; null when none was set and the user's OkHttpClient's own applies. */
  final @Nullable Duration timeout;
  final @Nullable OkHttpClient httpClient;
  final KeyScope keyScope;
  final @Nullable String workspaceId;
  final @Nullable String organizationId;
  final int maxRetries;
  /** The retry loop's clock and waits; null for the resources' own (tests replace it). */
  final @Nullable Scheduler scheduler;
  final LogLevel logLevel;
  final System.Logger logger;
  /** Whether {@link #logger} is {@code System.getLogger("io.mutagent")}, not one a test put in its place. */
  final boolean defaultLogger;
  /** Whether nothing set the server URL (no option, no MUTAGENT_SERVER_URL): it is the local default. */
  final boolean defaultServerUrl;
  /** The family's rate-limiter settings, fixed when the client is built. */
  final RateLimits rateLimits;
  /** The most attempts in flight at once for the family, or 0 for no bound. */
  final int maxConcurrency;

  ClientConfig(@Nullable String apiKey, @Nullable String bearerToken, @Nullable Supplier<String> apiKeySupplier,
      @Nullable Supplier<String> bearerTokenSupplier, HttpUrl serverUrl, @Nullable Duration timeout,
      @Nullable OkHttpClient httpClient, KeyScope keyScope, @Nullable String workspaceId, @Nullable String organizationId, int maxRetries, @Nullable Scheduler scheduler,
      LogLevel logLevel, System.Logger logger, boolean defaultLogger, boolean defaultServerUrl,
      RateLimits rateLimits, int maxConcurrency) {
    this.apiKey = apiKey;
    this.bearerToken = bearerToken;
    this.apiKeySupplier = apiKeySupplier;
    this.bearerTokenSupplier = bearerTokenSupplier;
    this.serverUrl = serverUrl;
    this.timeout = timeout;
    this.httpClient = httpClient;
    this.keyScope = keyScope;
    this.workspaceId = workspaceId;
    this.organizationId = organizationId;
    this.maxRetries = maxRetries;
    this.scheduler = scheduler;
    this.logLevel = logLevel;
    this.logger = logger;
    this.defaultLogger = defaultLogger;
    this.defaultServerUrl = defaultServerUrl;
    this.rateLimits = rateLimits;
    this.maxConcurrency = maxConcurrency;
  }

  boolean hasCredentials() {
    return apiKey != null || bearerToken != null || apiKeySupplier != null || bearerTokenSupplier != null;
  }

  /** Returns where each attempt reads the API key, or null for none. */
  @Nullable Supplier<String> apiKeySource() {
    if (apiKeySupplier != null) {
      return apiKeySupplier;
    }
    String key = apiKey;
    return key == null ? null : () -> key;
  }

  /** Returns where each attempt reads the bearer token, or null for none. */
  @Nullable Supplier<String> bearerTokenSource() {
    if (bearerTokenSupplier != null) {
      return bearerTokenSupplier;
    }
    String token = bearerToken;
    return token == null ? null : () -> token;
  }

  @Override
  public String toString() {
    String auth = apiKey != null || apiKeySupplier != null ? "x-api-key"
        : bearerToken != null || bearerTokenSupplier != null ? "bearer" : "none";
    return "{serverUrl=" + ClientBuilder.display(serverUrl) + ", auth=" + auth + ", keyScope=" + keyScope
        + (workspaceId != null ? ", workspaceId=" + workspaceId : "")
        + (organizationId != null ? ", organizationId=" + organizationId : "")
        + ", timeout=" + (timeout == null ? "the OkHttpClient's" : timeout.toString())
        + ", maxRetries=" + maxRetries + (logLevel == LogLevel.OFF ? "" : ", logLevel=" + logLevel)
        + (rateLimits == RateLimits.defaults() ? "" : ", rateLimits=" + rateLimits)
        + (maxConcurrency > 0 ? ", maxConcurrency=" + maxConcurrency : "") + "}";
  }
}
