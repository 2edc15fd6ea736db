package io.mutagent;

import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** A client's resolved, validated configuration. Immutable; never prints a secret. */
final class ClientConfig {
  final String apiKey;
  final String bearerToken;
  final HttpUrl serverUrl;
  final Duration timeout;
  final OkHttpClient httpClient;
  final KeyScope keyScope;
  final String workspaceId;
  final String organizationId;

  ClientConfig(String apiKey, String bearerToken, HttpUrl serverUrl, Duration timeout,
      OkHttpClient httpClient, KeyScope keyScope, String workspaceId, String organizationId) {
    this.apiKey = apiKey;
    this.bearerToken = bearerToken;
    this.serverUrl = serverUrl;
    this.timeout = timeout;
    this.httpClient = httpClient;
    this.keyScope = keyScope;
    this.workspaceId = workspaceId;
    this.organizationId = organizationId;
  }

  boolean hasCredentials() {
    return apiKey != null || bearerToken != null;
  }

  ClientConfig withWorkspace(String workspaceId) {
    ClientBuilder.requireId("workspaceId", workspaceId);
    return new ClientConfig(apiKey, bearerToken, serverUrl, timeout, httpClient, keyScope,
        workspaceId, organizationId);
  }

  @Override
  public String toString() {
    String auth = apiKey != null ? "x-api-key" : bearerToken != null ? "bearer" : "none";
    return "{serverUrl=" + ClientBuilder.display(serverUrl) + ", auth=" + auth + ", keyScope=" + keyScope
        + (workspaceId != null ? ", workspaceId=" + workspaceId : "")
        + (organizationId != null ? ", organizationId=" + organizationId : "")
        + ", timeout=" + timeout + "}";
  }
}
