package io.mutagent;

import io.mutagent.internal.Json;
import io.mutagent.internal.JsonConverterFactory;
import io.mutagent.internal.ServiceContext;
import io.mutagent.internal.cache.ChangeFeed;
import io.mutagent.internal.cache.PromptCacheEngine;
import io.mutagent.internal.http.Scheduler;
import io.mutagent.prompts.PromptCacheOptions;
import io.mutagent.internal.http.CallOptionsInterceptor;
import io.mutagent.internal.http.CallRunner;
import io.mutagent.internal.http.ClientSettings;
import io.mutagent.internal.http.ClientState;
import io.mutagent.internal.http.ConnectionTracker;
import io.mutagent.internal.http.DebugOutput;
import io.mutagent.internal.http.ErrorMapper;
import io.mutagent.internal.http.GuardedLogger;
import io.mutagent.internal.http.LogRouter;
import io.mutagent.internal.http.Resources;
import io.mutagent.internal.http.Scheduler;
import io.mutagent.internal.jobs.JobWaits;
import io.mutagent.internal.otlp.OtlpConverterFactory;
import io.mutagent.internal.ratelimit.RateLimiters;
import io.mutagent.internal.text.KnownSecrets;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import retrofit2.Retrofit;

/**
 * What a blocking and an async client share: configuration, open/closed state, and the transport.
 * A copy made by {@code withOptions} or {@code withWorkspace} has its own configuration and state
 * but the same {@link Transport}: the same OkHttpClient, pool and threads.
 */
final class ClientCore {
  final ClientConfig config;
  final ClientState state;
  final Transport transport;
  final ServiceContext context;
  final CallRunner runner;

  private ClientCore(ClientConfig config, ClientState state, Transport transport) {
    this.config = config;
    this.state = state;
    this.transport = transport;
    ClientSettings settings = new ClientSettings(config.apiKeySource(), config.bearerTokenSource(),
        config.workspaceId, config.organizationId, config.keyScope.name(), config.timeout,
        config.timeout != null, config.maxRetries, config.logLevel);
    Scheduler scheduler = config.scheduler != null ? config.scheduler : transport.resources.scheduler();
    CallRunner runner = new CallRunner(settings, state,
        new ErrorMapper(config.hasCredentials(), transport.secrets), scheduler,
        transport.resources.base().callTimeoutMillis(), GuardedLogger.of(config.logger), transport.secrets,
        transport.limiters);
    this.runner = runner;
    this.context = new ServiceContext(transport.retrofit, runner, transport.changes,
        ChangeFeed.scopeOf(config.workspaceId), new JobWaits(state, scheduler, callTimeout(config, transport)));
    // Once per client or copy, never per call: on JUL as the JDK ships it, DEBUG lines would
    // otherwise be hidden.
    DebugOutput.ensureVisible(config.logLevel, config.defaultLogger);
  }

  /** Returns the timeout of a call with no timeout of its own: the client's, else its OkHttpClient's, or null for none. */
  private static @Nullable Duration callTimeout(ClientConfig config, Transport transport) {
    if (config.timeout != null) {
      return config.timeout;
    }
    int millis = transport.resources.base().callTimeoutMillis();
    return millis > 0 ? Duration.ofMillis(millis) : null;
  }

  static ClientCore create(ClientConfig config) {
    if (config.defaultServerUrl && config.hasCredentials()) {
      // Whatever the log level: a real key should not go to a local port by oversight.
      GuardedLogger.of(config.logger).log(System.Logger.Level.WARNING, "no server URL was set (serverUrl(...) "
          + "or MUTAGENT_SERVER_URL), so this client sends its credential to " + ClientBuilder.DEFAULT_SERVER_URL
          + ", the local mock; for the MutagenT API set MUTAGENT_SERVER_URL=https://api.mutagent.io "
          + "or serverUrl(\"https://api.mutagent.io\")");
    }
    Resources resources = Resources.create(config.httpClient);
    return new ClientCore(config, ClientState.root(resources), new Transport(resources, config));
  }

  /** Returns the clock and timer of this client: the one a test set, else its resources' own. */
  Scheduler scheduler() {
    return config.scheduler != null ? config.scheduler : transport.resources.scheduler();
  }

  /** Background prompt refreshes: one request each (the cache backs off itself), kept out of the limiter's reserve. */
  private static final RequestOptions REFRESH = RequestOptions.builder().background(true).maxRetries(0).build();

  /**
   * Returns the engine of a prompt cache over this client: it fetches through the async path (the
   * SDK's dispatcher threads), keeps time by this client's scheduler, hears the writes of this
   * transport's clients in this client's workspace, and closes with this client.
   *
   * @throws IllegalArgumentException if options is null
   * @throws IllegalStateException if this client is closed
   */
  PromptCacheEngine promptCacheEngine(PromptCacheOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null: pass PromptCacheOptions.defaults()");
    }
    state.ensureOpen();
    AsyncMutagent fetching = new AsyncMutagent(this);
    Scheduler clock = scheduler();
    PromptCacheEngine engine = new PromptCacheEngine(
        (promptId, background) -> fetching.prompt().getPrompt(promptId, background ? REFRESH : RequestOptions.none()),
        clock, state::isClosed, transport.changes, ChangeFeed.scopeOf(config.workspaceId), options);
    // Closed with this client (or with the client that owns a copy's resources), not only on its
    // next read: a cache made from a short-lived copy must not stay subscribed to the transport's writes.
    ClientState.CloseFirst closeFirst = engine::close;
    engine.onClose(() -> state.forgetCloseFirst(closeFirst));
    if (!state.closeFirst(closeFirst)) {
      engine.close();
      throw new IllegalStateException("this MutagenT client is closing or closed; make the prompt cache from an "
          + "open client");
    }
    return engine;
  }

  /** Returns a copy with other options, sharing the transport; closing it leaves this one open. */
  ClientCore derive(ClientConfig other) {
    return new ClientCore(other, state.derive(), transport);
  }

  /** The OkHttpClient and Retrofit of one set of resources, made once and shared by all copies. */
  static final class Transport {
    final Resources resources;
    final OkHttpClient http;
    final Retrofit retrofit;
    /** The credentials sent through this transport, masked in messages and logs. */
    final KnownSecrets secrets = new KnownSecrets();
    /** The family's rate limiters and concurrency slots, shared by every copy and view. */
    final RateLimiters limiters;
    /** The writes of this transport's clients, heard by the prompt caches made from them. */
    final ChangeFeed changes = new ChangeFeed();

    Transport(Resources resources, ClientConfig config) {
      this.resources = resources;
      this.limiters = new RateLimiters(config.rateLimits, config.maxConcurrency);
      OkHttpClient.Builder http = resources.base().newBuilder()
          // The SDK does not follow redirects: following one would hand x-api-key to another host
          // (OkHttp strips only Authorization) or downgrade https to http.
          .followRedirects(false)
          .followSslRedirects(false)
          // OkHttp's own silent retry would re-send a request on a new connection after some
          // failures; the SDK's RetryPolicy decides instead, knowing the method and the
          // idempotency key, so no write is sent twice where the server may have acted on it.
          // (OkHttp also resends after some answers whatever this says, a 503 with Retry-After: 0
          // or a 421: ConnectionTracker refuses those resends.)
          .retryOnConnectionFailure(false)
          // The call's deadline (the SDK's timeout, else this client's own call timeout, read
          // from resources.base()) covers every attempt and the waits between them; the SDK's
          // DeadlineWatch enforces it, so OkHttp arms no timer of its own per call.
          .callTimeout(java.time.Duration.ZERO);
      // Ours runs first, so the user's own interceptors see the request as it goes out.
      http.interceptors().add(0, new CallOptionsInterceptor());
      // Logging runs last of the application interceptors, so it sees each attempt as it goes out.
      http.addInterceptor(new LogRouter(GuardedLogger.of(config.logger), secrets));
      http.addNetworkInterceptor(new ConnectionTracker());
      this.http = http.build();
      this.retrofit = new Retrofit.Builder()
          .baseUrl(config.serverUrl)
          .client(this.http)
          // Before JSON: reads the OTLP bridge's protobuf answer (ingestOtlpTracesProtobuf).
          .addConverterFactory(new OtlpConverterFactory())
          .addConverterFactory(new JsonConverterFactory(Json.gson(), secrets))
          .build();
    }
  }
}
