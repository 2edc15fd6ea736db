package io.mutagent.bench;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.Reader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The baseline: what a careful user writes with OkHttp and Gson alone. One OkHttpClient, the API
 * key as a header, the response parsed by Gson into the small classes below (dates kept as the
 * strings they are on the wire, as a hand-written client would). The dispatcher allows as many
 * calls per host as the SDK's does today, and the connection pool keeps as many idle connections
 * as the SDK's, so the async figures compare the same concurrency and the same connection reuse.
 */
final class RawClient {
  /** The SDK's per-host limit today (Resources: maxRequestsPerHost = maxRequests = 64). */
  static final int MAX_REQUESTS_PER_HOST = 64;
  /**
   * The SDK's idle-connection limit today (Resources: a ConnectionPool of 64 idle, 5 minutes).
   * OkHttp's default of 5 closes the other connections as they go idle, and with 64 calls in
   * flight 10,000 calls then opened 500 to 2,000 new connections.
   */
  static final int MAX_IDLE_CONNECTIONS = 64;

  private static final Gson GSON = new Gson();

  final OkHttpClient http;
  private final HttpUrl base;
  private final String apiKey;

  RawClient(String serverUrl, String apiKey) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(MAX_REQUESTS_PER_HOST);
    this.http = new OkHttpClient.Builder().dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, 5, TimeUnit.MINUTES)).build();
    this.base = HttpUrl.get(serverUrl);
    this.apiKey = apiKey;
  }

  Call getPromptCall(String promptId) {
    HttpUrl url = base.newBuilder().addPathSegments("api/prompt").addPathSegment(promptId).build();
    return http.newCall(new Request.Builder().url(url).header("x-api-key", apiKey).build());
  }

  Call listPromptsCall(int limit) {
    HttpUrl url = base.newBuilder().addPathSegments("api/prompt")
        .addQueryParameter("limit", Integer.toString(limit)).build();
    return http.newCall(new Request.Builder().url(url).header("x-api-key", apiKey).build());
  }

  Prompt getPrompt(String promptId) throws IOException {
    try (Response response = getPromptCall(promptId).execute()) {
      return parse(response, Prompt.class);
    }
  }

  PromptPage listPrompts(int limit) throws IOException {
    try (Response response = listPromptsCall(limit).execute()) {
      return parse(response, PromptPage.class);
    }
  }

  static <T> T parse(Response response, Class<T> type) throws IOException {
    if (!response.isSuccessful()) {
      throw new IOException("HTTP " + response.code() + " from " + response.request().url());
    }
    try (Reader body = response.body().charStream()) {
      return GSON.fromJson(body, type);
    }
  }

  void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** A prompt as the API sends it. */
  static final class Prompt {
    String id;
    String workspaceId;
    String name;
    String description;
    String content;
    List<Message> messages;
    List<Variable> variables;
    List<String> tags;
    String status;
    int latestVersion;
    String createdAt;
    String updatedAt;
  }

  /** One chat message of a prompt. */
  static final class Message {
    String role;
    String content;
  }

  /** One {{variable}} of a prompt. */
  static final class Variable {
    String name;
    String description;
    boolean required;
    String defaultValue;
  }

  /** A page of prompts. */
  static final class PromptPage {
    List<Prompt> data;
    PageInfo pagination;
  }

  /** Where a page is in the list. */
  static final class PageInfo {
    int page;
    int limit;
    int total;
    boolean hasMore;
  }
}
