package io.mutagent.internal.http;

import io.mutagent.LogLevel;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What one client (or one copy made by {@code withOptions}) contributes to each call: where its
 * credentials come from, its scope ids and which of them a call may change, its timeout and its
 * retries. Immutable. Internal: the client builds it from its configuration.
 */
public final class ClientSettings {
  final @Nullable Supplier<String> apiKey;
  final @Nullable Supplier<String> bearerToken;
  final @Nullable String workspaceId;
  final @Nullable String organizationId;
  final boolean workspaceSelectable;
  final boolean organizationSelectable;
  final @Nullable Duration timeout;
  final boolean socketTimeouts;
  final int maxRetries;
  final String keyScope;
  final LogLevel logLevel;

  /**
   * Creates the settings.
   *
   * @param apiKey reads the API key for each attempt, or null
   * @param bearerToken reads the bearer token for each attempt, or null (at most one is set)
   * @param workspaceId sent as {@code x-workspace-id}, or null
   * @param organizationId sent as {@code x-organization-id}, or null
   * @param keyScope the key's scope name, which decides whether a call may choose the ids
   * @param timeout the whole-call limit, or null to follow the OkHttpClient's own call timeout
   * @param socketTimeouts whether to set each attempt's connect/read/write timeouts from the
   *     timeout (false leaves a user's OkHttpClient's own values alone)
   * @param maxRetries the most retries per call
   * @param logLevel what the client logs through {@code System.Logger}
   */
  public ClientSettings(@Nullable Supplier<String> apiKey, @Nullable Supplier<String> bearerToken,
      @Nullable String workspaceId, @Nullable String organizationId, String keyScope, @Nullable Duration timeout, boolean socketTimeouts, int maxRetries,
      LogLevel logLevel) {
    this.apiKey = apiKey;
    this.bearerToken = bearerToken;
    this.workspaceId = workspaceId;
    this.organizationId = organizationId;
    this.keyScope = keyScope;
    this.workspaceSelectable = !keyScope.equals("WORKSPACE");
    this.organizationSelectable = keyScope.equals("USER");
    this.timeout = timeout;
    this.socketTimeouts = socketTimeouts;
    this.maxRetries = maxRetries;
    this.logLevel = logLevel;
  }
}
