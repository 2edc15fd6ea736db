package io.mutagent;

import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

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
 *   <tr><td>{@link #timeout}</td><td></td><td>60 seconds</td></tr>
 *   <tr><td>{@link #keyScope}</td><td></td><td>{@link KeyScope#WORKSPACE}</td></tr>
 * </table>
 *
 * <p>Every check runs in {@code build()}, which throws {@link IllegalArgumentException} with the
 * value at fault (never a secret) and the fix. Not thread-safe.
 *
 * @param <B> the concrete builder
 * @param <C> the client it builds
 */
public abstract class ClientBuilder<B extends ClientBuilder<B, C>, C> {
  /** The server URL used when neither {@link #serverUrl} nor {@code MUTAGENT_SERVER_URL} is set. */
  public static final String DEFAULT_SERVER_URL = "http://localhost:3003";
  /** The timeout used when {@link #timeout} is not set. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private String apiKey;
  private String bearerToken;
  private String serverUrl;
  private Duration timeout = DEFAULT_TIMEOUT;
  private OkHttpClient httpClient;
  private boolean allowInsecureHttp;
  private KeyScope keyScope = KeyScope.WORKSPACE;
  private String workspaceId;
  private String organizationId;
  private Map<String, String> environment = System.getenv();

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
   * without {@code MUTAGENT_API_KEY} or a bearer token) requests go out unauthenticated.
   */
  public B apiKey(String apiKey) {
    this.apiKey = apiKey;
    return self();
  }

  /**
   * Sets a bearer token (a user session or JWT), sent as {@code Authorization: Bearer ...}, the
   * second way to authenticate. Setting it and an API key both is an error at {@code build()}.
   */
  public B bearerToken(String bearerToken) {
    this.bearerToken = bearerToken;
    return self();
  }

  /**
   * Sets the server, e.g. {@code https://api.mutagent.io}, without the {@code /api} prefix (the SDK
   * adds it). Plain {@code http://} is only accepted for loopback hosts unless
   * {@link #allowInsecureHttp} is set.
   */
  public B serverUrl(String serverUrl) {
    this.serverUrl = serverUrl;
    return self();
  }

  /** Sets the limit for each whole call, from connecting to reading the last byte (default 60 s). */
  public B timeout(Duration timeout) {
    this.timeout = timeout;
    return self();
  }

  /**
   * Uses your OkHttpClient (proxy, TLS, interceptors, pool) through {@code newBuilder()}: its
   * connection pool and dispatcher are shared, and closing the SDK client leaves them running.
   */
  public B httpClient(OkHttpClient httpClient) {
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
  public B workspaceId(String workspaceId) {
    this.workspaceId = workspaceId;
    return self();
  }

  /** Sets the organization id sent as {@code x-organization-id} (needed by user keys). */
  public B organizationId(String organizationId) {
    this.organizationId = organizationId;
    return self();
  }

  /** Replaces the process environment as the source of fallbacks; for tests. */
  B environment(Map<String, String> environment) {
    this.environment = environment;
    return self();
  }

  /** Resolves the fallbacks and checks that the options fit together. */
  ClientConfig config() {
    if (apiKey != null && bearerToken != null) {
      throw new IllegalArgumentException(
          "both apiKey and bearerToken are set; a request carries one: keep the one you mean");
    }
    String key = apiKey;
    if (key == null && bearerToken == null) {
      key = env("MUTAGENT_API_KEY");
    }
    if (key != null) {
      requireHeaderSafe("apiKey", key, "MUTAGENT_API_KEY");
    }
    if (bearerToken != null) {
      requireHeaderSafe("bearerToken", bearerToken, null);
    }
    RequestOptions.checkTimeout(timeout);
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
    return new ClientConfig(key, bearerToken, serverUrl(), timeout, httpClient, keyScope,
        workspace, organization);
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
      throw new IllegalArgumentException(source + " '" + text.replaceAll("(?<=//)[^/@]*@", "***@")
          + "' is not an http(s) URL; "
          + "use e.g. https://api.mutagent.io or http://localhost:3003");
    }
    if (!url.password().isEmpty()) {
      text = display(url); // never echo a password
    }
    String path = url.encodedPath().replaceAll("/+$", "");
    if (path.endsWith("/api")) {
      throw new IllegalArgumentException(source + " '" + text + "' ends in /api, which the SDK adds "
          + "itself; use " + url.newBuilder().encodedPath(path.substring(0, path.length() - 4) + "/")
          .build().toString().replaceAll("/$", ""));
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

  /** The URL as messages and toString() show it: a password in it is masked. */
  static String display(HttpUrl url) {
    return url.password().isEmpty() ? url.toString() : url.newBuilder().password("***").build().toString();
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

  private String optionalId(String name, String value, String variable) {
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
  private static void requireHeaderSafe(String name, String value, String variable) {
    if (value.trim().isEmpty()) {
      throw new IllegalArgumentException(name + " is blank" + (variable == null ? ""
          : "; set a key, or unset " + variable + " to send requests without one"));
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(name + " has a character that cannot go in an HTTP "
            + "header at position " + i + " (whitespace, a line break or non-ASCII); "
            + "check for a stray newline or space");
      }
    }
  }

  private String env(String name) {
    String value = environment.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
