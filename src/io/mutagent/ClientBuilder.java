package io.mutagent;

import io.mutagent.internal.Check;
import io.mutagent.internal.http.DebugOutput;
import io.mutagent.internal.http.Scheduler;
import io.mutagent.ratelimit.RateLimits;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The options {@link Mutagent.Builder} and {@link AsyncMutagent.Builder} share. An option left
 * unset falls back to its environment variable, then to its default:
 *
 * <table>
 *   <caption>Options, environment variables and defaults</caption>
 *   <tr><th>option</th><th>environment variable</th><th>default</th></tr>
 *   <tr><td>{@link #apiKey}</td><td>{@code MUTAGENT_API_KEY}</td><td>none (requests get 401)</td></tr>
 *   <tr><td>{@link #serverUrl}</td><td>{@code MUTAGENT_SERVER_URL}</td><td>{@code http://localhost:3003}</td></tr>
 *   <tr><td>{@link #workspaceId}</td><td>{@code MUTAGENT_WORKSPACE_ID}</td><td>none</td></tr>
 *   <tr><td>{@link #organizationId}</td><td>{@code MUTAGENT_ORGANIZATION_ID}</td><td>none</td></tr>
 *   <tr><td>{@link #timeout}</td><td></td><td>60 seconds (with your {@link #httpClient}: its own timeouts)</td></tr>
 *   <tr><td>{@link #maxRetries}</td><td></td><td>2</td></tr>
 *   <tr><td>{@link #logLevel}</td><td>{@code MUTAGENT_LOG}</td><td>{@link LogLevel#OFF}</td></tr>
 *   <tr><td>{@link #keyScope}</td><td></td><td>{@link KeyScope#WORKSPACE}</td></tr>
 *   <tr><td>{@link #rateLimits}</td><td></td><td>{@link RateLimits#defaults()}: learn the window from the headers</td></tr>
 *   <tr><td>{@link #maxConcurrency}</td><td></td><td>none</td></tr>
 * </table>
 *
 * <p>A setter given {@code null} leaves its option unset: the environment variable or the default
 * above applies ({@code timeout(null)} means 60 seconds, not no timeout). Every check runs in
 * {@code build()}, which throws {@link IllegalArgumentException} with the value at fault (never a
 * secret) and the fix. Not thread-safe.
 *
 * <p>In {@code withOptions}, the builder starts from the client's options, and a credential setter
 * ({@link #apiKey}, {@link #apiKeySupplier}, {@link #bearerToken}, {@link #bearerTokenSupplier})
 * given a value replaces the client's credential whatever its kind.
 *
 * @param <B> the concrete builder
 * @param <C> the client it builds
 */
public abstract class ClientBuilder<B extends ClientBuilder<B, C>, C> {
  /** The server URL used when neither {@link #serverUrl} nor {@code MUTAGENT_SERVER_URL} is set. */
  public static final String DEFAULT_SERVER_URL = "http://localhost:3003";
  /** The timeout used when {@link #timeout} is not set and the SDK makes its own OkHttpClient. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** The retries used when {@link #maxRetries} is not set. */
  public static final int DEFAULT_MAX_RETRIES = 2;

  private @Nullable String apiKey;
  private @Nullable String bearerToken;
  private @Nullable Supplier<String> apiKeySupplier;
  private @Nullable Supplier<String> bearerTokenSupplier;
  /**
   * Whether the credential fields hold what {@link #from} copied from a client, which the first
   * credential setter given a value replaces whatever its kind.
   */
  private boolean credentialInherited;
  private @Nullable String serverUrl;
  private @Nullable Duration timeout;
  private int maxRetries = DEFAULT_MAX_RETRIES;
  private @Nullable OkHttpClient httpClient;
  private boolean allowInsecureHttp;
  private KeyScope keyScope = KeyScope.WORKSPACE;
  private @Nullable String workspaceId;
  private @Nullable String organizationId;
  private Map<String, String> environment = System.getenv();
  /** Null for the client's own (real time, its own timer thread). */
  private @Nullable Scheduler scheduler;
  private @Nullable LogLevel logLevel;
  private System.Logger logger = System.getLogger(DebugOutput.LOGGER_NAME);
  private boolean defaultLogger = true;
  private RateLimits rateLimits = RateLimits.defaults();
  private int maxConcurrency;

  /** The most {@link #maxConcurrency} allows. */
  static final int MAX_CONCURRENCY_LIMIT = 10_000;

  ClientBuilder() {}

  abstract B self();

  /**
   * Returns the client.
   *
   * @throws IllegalArgumentException if an option is invalid or the options do not fit together;
   *     the message names the option and the fix
   */
  public abstract C build();

  /**
   * Sets the API key, sent as {@code x-api-key} (keys look like {@code mt_...}). Without it (and
   * without {@code MUTAGENT_API_KEY} or a bearer token) requests go out unauthenticated. In
   * {@code withOptions}, a key replaces the client's credential, a bearer token included.
   */
  public B apiKey(@Nullable String apiKey) {
    replaceInheritedCredential(apiKey);
    this.apiKey = apiKey;
    return self();
  }

  /**
   * Sets a bearer token (a user session or JWT), sent as {@code Authorization: Bearer ...}, the
   * second way to authenticate. Setting it and an API key both is an error at {@code build()}; in
   * {@code withOptions}, though, a token replaces the client's credential, an API key included.
   */
  public B bearerToken(@Nullable String bearerToken) {
    replaceInheritedCredential(bearerToken);
    this.bearerToken = bearerToken;
    return self();
  }

  /**
   * Reads the API key from {@code supplier} before every attempt of every call, instead of a
   * fixed key, so that a long-lived client picks up a rotated key. The supplier runs on the
   * calling thread (async: on the thread that starts the attempt) and should return quickly,
   * from memory. Replaces {@link #apiKey}; setting it with a bearer token is an error at
   * {@code build()} (in {@code withOptions} it replaces the client's credential of either kind).
   * A null or blank result fails that call with {@link IllegalStateException} before anything is
   * sent.
   */
  public B apiKeySupplier(@Nullable Supplier<String> supplier) {
    replaceInheritedCredential(supplier);
    this.apiKeySupplier = supplier;
    return self();
  }

  /**
   * Reads the bearer token from {@code supplier} before every attempt of every call, so that a
   * token that expires can be refreshed without a new client. Same rules as
   * {@link #apiKeySupplier}. (An OkHttp {@code Authenticator} does not fit: it is asked only
   * after a 401, and cannot replay a POST or PATCH, whose bodies the SDK sends once.)
   */
  public B bearerTokenSupplier(@Nullable Supplier<String> supplier) {
    replaceInheritedCredential(supplier);
    this.bearerTokenSupplier = supplier;
    return self();
  }

  /**
   * On a builder filled by {@link #from}, drops the client's credential, of either kind, the first
   * time a credential setter is given a value: a copy means "use this one instead". A second
   * credential set in the same builder is the caller's own, and {@link #config()} checks the two.
   */
  private void replaceInheritedCredential(@Nullable Object credential) {
    if (credential != null && credentialInherited) {
      apiKey = null;
      bearerToken = null;
      apiKeySupplier = null;
      bearerTokenSupplier = null;
      credentialInherited = false;
    }
  }

  /**
   * Sets the server, e.g. {@code https://api.mutagent.io}, without the {@code /api} prefix (the SDK
   * adds it). Plain {@code http://} is only accepted for loopback hosts unless
   * {@link #allowInsecureHttp} is set.
   */
  public B serverUrl(@Nullable String serverUrl) {
    this.serverUrl = serverUrl;
    return self();
  }

  /**
   * Sets the limit for each whole call, from connecting to reading the last byte of the last
   * attempt, retries and their waits included (default 60 s). It also bounds each attempt's read
   * and write; connecting is capped at 10 s per attempt. Without it, a client built on your
   * {@link #httpClient} keeps that client's own timeouts.
   */
  public B timeout(@Nullable Duration timeout) {
    this.timeout = timeout;
    return self();
  }

  /**
   * Sets how many times a failed call is retried (default 2; 0 turns retrying off). Which
   * failures are retried, and why a POST or PATCH is never sent twice where the server may have
   * acted on it, is described in the README's "Retries" section.
   *
   * @throws IllegalArgumentException at {@code build()} if it is negative or above 10
   */
  public B maxRetries(int maxRetries) {
    this.maxRetries = maxRetries;
    return self();
  }

  /**
   * Uses your OkHttpClient (proxy, TLS, interceptors, pool) through {@code newBuilder()}: its
   * connection pool and dispatcher are shared, and closing the SDK client leaves them running.
   * What you set on it stays: its call, connect, read and write timeouts (unless you also set
   * {@link #timeout} here) and its dispatcher's limits (OkHttp's default allows 5 concurrent
   * calls per host, which then bounds the async client too). The SDK never follows redirects,
   * whatever your client says, and turns off OkHttp's silent retry in favour of its own rule.
   */
  public B httpClient(@Nullable OkHttpClient httpClient) {
    this.httpClient = httpClient;
    return self();
  }

  /**
   * Allows plain {@code http://} to a host that is not loopback. Off by default: the API key would
   * cross the network in clear text.
   */
  public B allowInsecureHttp(boolean allowInsecureHttp) {
    this.allowInsecureHttp = allowInsecureHttp;
    return self();
  }

  /** Sets the API key's scope, which decides the ids every request must carry (default WORKSPACE). */
  public B keyScope(KeyScope keyScope) {
    this.keyScope = keyScope;
    return self();
  }

  /** Sets the workspace id sent as {@code x-workspace-id} (needed by organization and user keys). */
  public B workspaceId(@Nullable String workspaceId) {
    this.workspaceId = workspaceId;
    return self();
  }

  /** Sets the organization id sent as {@code x-organization-id} (needed by user keys). */
  public B organizationId(@Nullable String organizationId) {
    this.organizationId = organizationId;
    return self();
  }

  /**
   * Sets what the client logs through {@code java.lang.System.Logger} (logger {@code io.mutagent};
   * SLF4J and Log4j route it with their own bridges): {@link LogLevel#INFO} one line per attempt
   * and per retry, {@link LogLevel#DEBUG} also headers and bodies. Credentials, cookies and the
   * fields the spec marks secret are always redacted. Default: {@code MUTAGENT_LOG}, else OFF.
   * With DEBUG, where {@code java.util.logging} is left as the JDK ships it (which prints INFO and
   * above only), the client attaches one handler to its {@code io.mutagent} logger that writes the
   * lines below INFO to {@code System.err}; a logging configuration of your own decides instead
   * (see the README's Logging section).
   */
  public B logLevel(@Nullable LogLevel logLevel) {
    this.logLevel = logLevel;
    return self();
  }

  /**
   * Sets how the client stays inside the plan's limits (default {@link RateLimits#defaults()}:
   * learn each window from the response headers and wait for its reset rather than collect a
   * 429). The limiters belong to the client built here: its {@code withOptions} and
   * {@code withWorkspace} copies and its {@code async()}/{@code sync()} views share them, so this
   * is set once, here. See the README's "Rate limits and quotas".
   *
   * @throws IllegalArgumentException at {@code build()} if it is null
   */
  public B rateLimits(RateLimits rateLimits) {
    this.rateLimits = rateLimits;
    return self();
  }

  /**
   * Sets the most attempts the client and its copies have in flight at once, blocking and async
   * together (default: no bound beyond the HTTP dispatcher's 64 async calls). Calls beyond it
   * wait for a slot, inside their own timeout; they never fail for it. Set once, here: copies
   * share the slots.
   *
   * @throws IllegalArgumentException at {@code build()} if it is negative or above 10,000 (0 means no bound)
   */
  public B maxConcurrency(int maxConcurrency) {
    this.maxConcurrency = maxConcurrency;
    return self();
  }

  /** Replaces the logger; for tests. */
  B logger(System.Logger logger) {
    this.logger = logger;
    this.defaultLogger = false;
    return self();
  }

  /** Replaces the clock, sleeper and scheduler of the retry loop; for tests. */
  B scheduler(Scheduler scheduler) {
    this.scheduler = scheduler;
    return self();
  }

  /** Replaces the process environment as the source of fallbacks; for tests. */
  B environment(Map<String, String> environment) {
    this.environment = environment;
    return self();
  }

  /**
   * Fills this builder from a built client's configuration, with no environment fallbacks, for
   * {@code withOptions}: what the caller then changes is checked by {@link #config()} again. A
   * credential setter given a value then replaces the copied credential, whatever its kind.
   */
  B from(ClientConfig config) {
    apiKey = config.apiKey;
    bearerToken = config.bearerToken;
    apiKeySupplier = config.apiKeySupplier;
    bearerTokenSupplier = config.bearerTokenSupplier;
    credentialInherited = true;
    serverUrl = config.serverUrl.toString();
    timeout = config.timeout;
    maxRetries = config.maxRetries;
    httpClient = config.httpClient;
    allowInsecureHttp = true; // checked when the client was built; the server cannot change here
    keyScope = config.keyScope;
    workspaceId = config.workspaceId;
    organizationId = config.organizationId;
    environment = Map.of();
    scheduler = config.scheduler;
    logLevel = config.logLevel;
    logger = config.logger;
    defaultLogger = config.defaultLogger;
    rateLimits = config.rateLimits;
    maxConcurrency = config.maxConcurrency;
    return self();
  }

  /**
   * Resolves a copy's options and checks that it still shares the original's connections.
   *
   * @throws IllegalArgumentException if the server or the OkHttpClient was changed, or an option is invalid
   */
  ClientConfig derivedConfig(ClientConfig original) {
    ClientConfig derived = config();
    if (!derived.serverUrl.equals(original.serverUrl)) {
      throw new IllegalArgumentException("withOptions cannot change serverUrl: a copy shares the "
          + "original's connections; build a new client for another server");
    }
    if (derived.rateLimits != original.rateLimits || derived.maxConcurrency != original.maxConcurrency) {
      throw new IllegalArgumentException("withOptions cannot change rateLimits or maxConcurrency: a copy "
          + "shares the original's rate limiters and slots; set them when the client is built");
    }
    if (derived.httpClient != original.httpClient) {
      throw new IllegalArgumentException("withOptions cannot change httpClient: a copy shares the "
          + "original's connection pool and threads; build a new client for another OkHttpClient");
    }
    return derived;
  }

  /** Resolves the fallbacks and checks that the options fit together. */
  ClientConfig config() {
    boolean keySet = apiKey != null || apiKeySupplier != null;
    boolean tokenSet = bearerToken != null || bearerTokenSupplier != null;
    if (keySet && tokenSet) {
      throw new IllegalArgumentException("both an API key (apiKey/apiKeySupplier) and a bearer token "
          + "(bearerToken/bearerTokenSupplier) are set; a request carries one: keep the one you mean");
    }
    if (apiKey != null && apiKeySupplier != null) {
      throw new IllegalArgumentException("both apiKey and apiKeySupplier are set: keep one");
    }
    if (bearerToken != null && bearerTokenSupplier != null) {
      throw new IllegalArgumentException("both bearerToken and bearerTokenSupplier are set: keep one");
    }
    String key = apiKey;
    String keySource = "apiKey";
    if (!keySet && !tokenSet) {
      key = env("MUTAGENT_API_KEY");
      keySource = "MUTAGENT_API_KEY";
    }
    if (key != null) {
      requireHeaderSafe(keySource, key, keySource.equals("apiKey") ? null : "MUTAGENT_API_KEY");
    }
    if (bearerToken != null) {
      requireHeaderSafe("bearerToken", bearerToken, null);
    }
    if (timeout != null) {
      RequestOptions.checkTimeout("timeout", timeout);
    }
    RequestOptions.checkMaxRetries(maxRetries);
    if (rateLimits == null) {
      throw new IllegalArgumentException("rateLimits must not be null: use RateLimits.defaults(), or "
          + "RateLimits.off() to turn the client-side limiter off");
    }
    if (maxConcurrency < 0 || maxConcurrency > MAX_CONCURRENCY_LIMIT) {
      throw new IllegalArgumentException("maxConcurrency must be 0 (no bound) to " + MAX_CONCURRENCY_LIMIT
          + ", got " + maxConcurrency);
    }
    LogLevel level = logLevel != null ? logLevel : LogLevel.parse(env(LogLevel.ENV));
    if (keyScope == null) {
      throw new IllegalArgumentException("keyScope must not be null; the default is KeyScope.WORKSPACE");
    }
    String workspace = optionalId("workspaceId", workspaceId, "MUTAGENT_WORKSPACE_ID");
    String organization = optionalId("organizationId", organizationId, "MUTAGENT_ORGANIZATION_ID");
    if (keyScope == KeyScope.ORGANIZATION && workspace == null) {
      throw new IllegalArgumentException("an organization-scoped key needs a workspace id: "
          + "set workspaceId(\"ws_...\") or MUTAGENT_WORKSPACE_ID");
    }
    if (keyScope == KeyScope.USER && (workspace == null || organization == null)) {
      String missing = workspace == null && organization == null ? "a workspace id and an organization id"
          : workspace == null ? "a workspace id" : "an organization id";
      throw new IllegalArgumentException("a user-scoped key needs " + missing + ": set "
          + (workspace == null ? "workspaceId(\"ws_...\") or MUTAGENT_WORKSPACE_ID" : "")
          + (workspace == null && organization == null ? ", and " : "")
          + (organization == null ? "organizationId(\"org_...\") or MUTAGENT_ORGANIZATION_ID" : ""));
    }
    if (keyScope == KeyScope.WORKSPACE && workspace != null) {
      throw new IllegalArgumentException((workspaceId != null ? "workspaceId" : "MUTAGENT_WORKSPACE_ID")
          + " is set, but keyScope is WORKSPACE: a workspace-scoped key acts on its own workspace and "
          + "the API ignores x-workspace-id, so the client would not act on " + workspace + ". If the "
          + "key is organization- or user-scoped, set keyScope(KeyScope.ORGANIZATION) or USER; "
          + "otherwise remove the workspace id");
    }
    if (keyScope != KeyScope.USER && organization != null) {
      throw new IllegalArgumentException((organizationId != null ? "organizationId" : "MUTAGENT_ORGANIZATION_ID")
          + " is set, but keyScope is " + keyScope + ": only a user-scoped key names the organization. "
          + "If the key is user-scoped, set keyScope(KeyScope.USER); otherwise remove the organization id");
    }
    Duration effectiveTimeout = timeout != null || httpClient != null ? timeout : DEFAULT_TIMEOUT;
    return new ClientConfig(key, bearerToken, apiKeySupplier, bearerTokenSupplier, serverUrl(),
        effectiveTimeout, httpClient, keyScope, workspace, organization, maxRetries, scheduler, level, logger,
        defaultLogger, serverUrl == null && env("MUTAGENT_SERVER_URL") == null, rateLimits, maxConcurrency);
  }

  private HttpUrl serverUrl() {
    String source = serverUrl != null ? "serverUrl" : "MUTAGENT_SERVER_URL";
    String text = serverUrl != null ? serverUrl : env("MUTAGENT_SERVER_URL");
    if (text == null) {
      source = "the default server URL";
      text = DEFAULT_SERVER_URL;
    }
    HttpUrl url = HttpUrl.parse(text.trim());
    if (url == null) {
      // Never echo a password, even from a URL that does not parse.
      throw new IllegalArgumentException(source + " '" + maskUserInfo(text)
          + "' is not an http(s) URL; "
          + "use e.g. https://api.mutagent.io or http://localhost:3003");
    }
    if (!url.username().isEmpty() || !url.password().isEmpty()) {
      throw new IllegalArgumentException(source + " '" + display(url) + "' has user info (masked "
          + "here): the SDK authenticates with apiKey or bearerToken, never through the URL; use "
          + display(url.newBuilder().username("").password("").build()).replaceAll("/$", "")
          + " and set the credential with apiKey(...)");
    }
    String path = url.encodedPath().replaceAll("/+$", "");
    if (path.endsWith("/api")) {
      throw new IllegalArgumentException(source + " '" + text + "' ends in /api, which the SDK adds "
          + "itself; use " + display(url.newBuilder().encodedPath(path.substring(0, path.length() - 4) + "/")
          .build()).replaceAll("/$", ""));
    }
    if (url.scheme().equals("http") && !allowInsecureHttp && !isLoopback(url.host())) {
      throw new IllegalArgumentException(source + " '" + text + "' sends the credentials in clear "
          + "text to " + url.host() + "; use https://" + url.host()
          + (url.port() == 80 ? "" : ":" + url.port())
          + ", or set allowInsecureHttp(true) if that host is trusted");
    }
    if (!url.encodedPath().endsWith("/")) {
      url = url.newBuilder().encodedPath(url.encodedPath() + "/").build();
    }
    return url.newBuilder().query(null).fragment(null).build();
  }

  /**
   * The URL as messages and toString() show it: user info (a password, or a token given as the
   * user name) is masked.
   */
  static String display(HttpUrl url) {
    return url.username().isEmpty() && url.password().isEmpty() ? url.toString()
        : url.newBuilder().username("***").password("").build().toString();
  }

  /** Masks the user info of a URL that does not parse: everything up to the authority's last '@'. */
  static String maskUserInfo(String text) {
    int scheme = text.indexOf("//");
    int start = scheme < 0 ? 0 : scheme + 2;
    int slash = text.indexOf('/', start);
    int end = slash < 0 ? text.length() : slash;
    int at = end == 0 ? -1 : text.lastIndexOf('@', end - 1);
    return at >= start ? text.substring(0, start) + "***" + text.substring(at) : text;
  }

  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost") || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String octet : octets) {
      if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  private @Nullable String optionalId(String name, @Nullable String value, String variable) {
    if (value != null) {
      requireId(name, value);
      return value;
    }
    String fromEnv = env(variable);
    if (fromEnv != null) {
      requireHeaderSafe(variable, fromEnv, null);
    }
    return fromEnv;
  }

  static void requireId(String name, String value) {
    if (value == null || value.trim().isEmpty()) {
      throw new IllegalArgumentException(name + " must not be null or blank");
    }
    requireHeaderSafe(name, value, null);
  }

  /** Rejects what OkHttp cannot send in a header, without echoing the value (it may be a secret). */
  private static void requireHeaderSafe(String name, String value, @Nullable String variable) {
    if (value.trim().isEmpty()) {
      throw new IllegalArgumentException(name + " is blank" + (variable == null ? ""
          : "; set a key, or unset " + variable + " to send requests without one"));
    }
    int i = Check.headerUnsafeAt(value);
    if (i >= 0) {
      throw new IllegalArgumentException(name + " has a character that cannot go in an HTTP "
          + "header at position " + i + " (whitespace, a line break or non-ASCII); "
          + "check for a stray newline or space");
    }
  }

  private @Nullable String env(String name) {
    String value = environment.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
