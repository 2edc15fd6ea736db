package io.mutagent;

import io.mutagent.internal.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Options for one call: a timeout, the number of retries, an idempotency key, extra headers and
 * query parameters, and the workspace or organization to act on. Anything left unset falls back to
 * the client's configuration. Immutable; build one with {@link #builder()} and pass it to any
 * namespace method that takes it. Options never carry over to the next call.
 *
 * <pre>{@code
 * RequestOptions slow = RequestOptions.builder().timeout(Duration.ofMinutes(5)).maxRetries(0).build();
 * client.promptEvaluations().runEvaluation("eval_42", slow);
 * }</pre>
 *
 * <p>Header names are case-insensitive: adding {@code X-A} then {@code x-a} keeps the second. The
 * headers the SDK sets from the client's configuration cannot be overridden here; each has its
 * own option instead. Nor can those the transport owns, such as {@code Accept-Encoding} and
 * {@code Content-Length} (see {@link Builder#header}).
 */
public final class RequestOptions {
  private static final RequestOptions NONE = new Builder().build();
  /** Headers the SDK owns, lower-cased, with the option that sets each. */
  private static final Map<String, String> PROTECTED_HEADERS = protectedHeaders();
  private static final int MAX_RETRIES_LIMIT = 10;

  private final Map<String, String> headers;
  private final Map<String, List<String>> queryParameters;
  private final @Nullable Duration timeout;
  private final @Nullable Integer maxRetries;
  private final @Nullable String idempotencyKey;
  private final @Nullable String workspaceId;
  private final @Nullable String organizationId;
  private final boolean background;

  private RequestOptions(Builder builder) {
    Map<String, String> headerCopy = new LinkedHashMap<>();
    builder.headers.values().forEach(pair -> headerCopy.put(pair[0], pair[1]));
    this.headers = Collections.unmodifiableMap(headerCopy);
    Map<String, List<String>> queryCopy = new LinkedHashMap<>();
    builder.queryParameters.forEach((name, values) -> queryCopy.put(name, Collections.unmodifiableList(new ArrayList<>(values))));
    this.queryParameters = Collections.unmodifiableMap(queryCopy);
    this.timeout = builder.timeout;
    this.maxRetries = builder.maxRetries;
    this.idempotencyKey = builder.idempotencyKey;
    this.workspaceId = builder.workspaceId;
    this.organizationId = builder.organizationId;
    this.background = builder.background;
  }

  /** Returns the options that change nothing: the client's configuration applies as is. */
  public static RequestOptions none() {
    return NONE;
  }

  /** Returns a builder for new options. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from these options. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    headers.forEach(builder::header);
    queryParameters.forEach((name, values) -> values.forEach(v -> builder.queryParameter(name, v)));
    builder.timeout = timeout;
    builder.maxRetries = maxRetries;
    builder.idempotencyKey = idempotencyKey;
    builder.workspaceId = workspaceId;
    builder.organizationId = organizationId;
    builder.background = background;
    return builder;
  }

  /** Returns the extra headers sent with the call, in the order they were added (unmodifiable). */
  public Map<String, String> headers() {
    return headers;
  }

  /** Returns the extra query parameters sent with the call, in the order they were added (unmodifiable). */
  public Map<String, List<String>> queryParameters() {
    return queryParameters;
  }

  /** Returns the timeout for the whole call, retries included, if one was set; otherwise the client's applies. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** Returns the most retries for the call, if set; otherwise the client's applies. */
  public OptionalInt maxRetries() {
    return maxRetries == null ? OptionalInt.empty() : OptionalInt.of(maxRetries);
  }

  /** Returns the {@code Idempotency-Key} for a POST or PATCH, if set; otherwise the SDK makes one per call. */
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  /** Returns the workspace id sent as {@code x-workspace-id} for this call, if set. */
  public Optional<String> workspaceId() {
    return Optional.ofNullable(workspaceId);
  }

  /** Returns the organization id sent as {@code x-organization-id} for this call, if set. */
  public Optional<String> organizationId() {
    return Optional.ofNullable(organizationId);
  }

  /**
   * Returns whether the call is background work: the rate limiter keeps its reserve (part of each
   * window and of the daily budget) from it, for the application's other calls. The SDK's own
   * requests (job polling, cache refreshes, trace batches, bulk chunks) are background work.
   */
  public boolean background() {
    return background;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RequestOptions)) {
      return false;
    }
    RequestOptions that = (RequestOptions) o;
    return headers.equals(that.headers) && queryParameters.equals(that.queryParameters)
        && Objects.equals(timeout, that.timeout) && Objects.equals(maxRetries, that.maxRetries)
        && Objects.equals(idempotencyKey, that.idempotencyKey) && Objects.equals(workspaceId, that.workspaceId)
        && Objects.equals(organizationId, that.organizationId) && background == that.background;
  }

  @Override
  public int hashCode() {
    return Objects.hash(headers, queryParameters, timeout, maxRetries, idempotencyKey, workspaceId, organizationId,
        background);
  }

  /** Lists what is set; header and query values are never printed (they may carry a secret). */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("RequestOptions{");
    if (!headers.isEmpty()) {
      text.append("headers=").append(headers.keySet()).append(", ");
    }
    if (!queryParameters.isEmpty()) {
      text.append("queryParameters=").append(queryParameters.keySet()).append(", ");
    }
    if (timeout != null) {
      text.append("timeout=").append(timeout).append(", ");
    }
    if (maxRetries != null) {
      text.append("maxRetries=").append(maxRetries).append(", ");
    }
    if (idempotencyKey != null) {
      text.append("idempotencyKey=set, ");
    }
    if (workspaceId != null) {
      text.append("workspaceId=").append(workspaceId).append(", ");
    }
    if (organizationId != null) {
      text.append("organizationId=").append(organizationId).append(", ");
    }
    if (background) {
      text.append("background=true, ");
    }
    int end = text.length();
    if (text.charAt(end - 1) == ' ') {
      text.setLength(end - 2);
    }
    return text.append('}').toString();
  }

  /**
   * Checks a timeout: OkHttp counts whole milliseconds in an int, and 0 means "no timeout".
   *
   * @throws IllegalArgumentException if it is null, under 1 ms or over Integer.MAX_VALUE ms
   */
  static Duration checkTimeout(String name, Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.compareTo(Duration.ofMillis(1)) < 0
        || timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException(name + " must be between 1 ms and 24 days, got " + timeout
          + "; e.g. Duration.ofSeconds(60)");
    }
    return timeout;
  }

  /**
   * Checks a retry count.
   *
   * @throws IllegalArgumentException if it is negative or above 10
   */
  static int checkMaxRetries(int maxRetries) {
    if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
      throw new IllegalArgumentException("maxRetries must be between 0 (no retries) and "
          + MAX_RETRIES_LIMIT + ", got " + maxRetries + "; the default is 2");
    }
    return maxRetries;
  }

  /**
   * Checks a value that goes into a header without echoing it (it may be a secret).
   *
   * @throws IllegalArgumentException if it is null, blank, or has a character HTTP headers cannot carry
   */
  static String checkHeaderValue(String name, String value) {
    if (value == null || value.trim().isEmpty()) {
      throw new IllegalArgumentException(name + " must not be null or blank");
    }
    int i = Check.headerUnsafeAt(value);
    if (i >= 0) {
      throw new IllegalArgumentException(name + " has a character that cannot go in an HTTP header at "
          + "position " + i + " (whitespace, a line break or non-ASCII); check for a stray newline or space");
    }
    return value;
  }

  private static Map<String, String> protectedHeaders() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("x-api-key", "the client's apiKey(...)");
    map.put("authorization", "the client's bearerToken(...)");
    map.put("x-workspace-id", "RequestOptions.builder().workspaceId(...)");
    map.put("x-organization-id", "RequestOptions.builder().organizationId(...)");
    map.put("idempotency-key", "RequestOptions.builder().idempotencyKey(...)");
    map.put("x-mutagent-retry-count", "nothing: the SDK counts retries itself");
    map.put("content-type", "nothing: the SDK sets it for the body it sends");
    // The transport's own: OkHttp writes these from the body, the URL and its connection pool.
    map.put("accept-encoding", "nothing: OkHttp asks for gzip and decompresses the answer itself; "
        + "set by hand, it would hand the SDK compressed bytes to parse");
    map.put("content-encoding", "nothing: the SDK sends its body uncompressed; the server would try "
        + "to decode bytes that are not encoded");
    map.put("content-length", "nothing: OkHttp counts the body it sends; another length would cut "
        + "the body short or leave the server waiting for more");
    map.put("transfer-encoding", "nothing: OkHttp frames the body itself; a second framing would "
        + "corrupt it");
    map.put("host", "the client's serverUrl(...): OkHttp takes Host from it; another would name a "
        + "server other than the one connected to");
    map.put("connection", "nothing: OkHttp keeps connections open and pools them; a Connection "
        + "header would close or repurpose one under it");
    return Collections.unmodifiableMap(map);
  }

  /** Builds {@link RequestOptions}. Not thread-safe; the options it builds are. */
  public static final class Builder {
    /** Lower-cased name to {original name, value}. */
    private final Map<String, String[]> headers = new LinkedHashMap<>();
    private final Map<String, List<String>> queryParameters = new LinkedHashMap<>();
    private @Nullable Duration timeout;
    private @Nullable Integer maxRetries;
    private @Nullable String idempotencyKey;
    private @Nullable String workspaceId;
    private @Nullable String organizationId;
    private boolean background;

    private Builder() {}

    /**
     * Adds a header to send with the call, replacing one of the same name (compared
     * case-insensitively) added before. {@code User-Agent} and {@code Accept} may be replaced; the
     * headers the SDK derives from its configuration may not: {@code x-api-key},
     * {@code Authorization}, {@code x-workspace-id}, {@code x-organization-id},
     * {@code Idempotency-Key} (each has its own option), {@code Content-Type} and
     * {@code X-Mutagent-Retry-Count}; nor may those the transport owns: {@code Accept-Encoding}
     * (OkHttp asks for gzip and decompresses the answer), {@code Content-Encoding},
     * {@code Content-Length}, {@code Transfer-Encoding}, {@code Host}, {@code Connection}.
     *
     * @throws IllegalArgumentException if the name is not an HTTP token or is one of those above
     *     (the message says why, and what to use instead if anything), or the value is null or has
     *     a control or non-ASCII character (the message gives its position, never the value)
     */
    public Builder header(String name, String value) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("header name must not be null or empty");
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
          throw new IllegalArgumentException("header name '" + name.substring(0, i)
              + "...' has a character not allowed in a header name at position " + i);
        }
      }
      String key = name.toLowerCase(Locale.ROOT);
      String instead = PROTECTED_HEADERS.get(key);
      if (instead != null) {
        throw new IllegalArgumentException("header '" + name + "' is set by the SDK and cannot be "
            + "overridden in RequestOptions; use " + instead);
      }
      if (value == null) {
        throw new IllegalArgumentException(
            "header '" + name + "' has a null value; leave the header out instead");
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < ' ' && c != '\t') || c >= 0x7f) {
          throw new IllegalArgumentException("header '" + name + "' has a character that cannot "
              + "go in an HTTP header at position " + i + " (a line break or non-ASCII)");
        }
      }
      headers.put(key, new String[] {name, value});
      return this;
    }

    /**
     * Adds a query parameter to send with the call, after the operation's own; adding the same
     * name again sends it twice. Use it for a parameter this SDK version does not know yet.
     *
     * @throws IllegalArgumentException if the name is null or empty, or the value is null
     */
    public Builder queryParameter(String name, String value) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("query parameter name must not be null or empty");
      }
      if (value == null) {
        throw new IllegalArgumentException("query parameter '" + name + "' has a null value; "
            + "leave the parameter out instead");
      }
      queryParameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      return this;
    }

    /**
     * Sets the timeout for the whole call: every attempt and the waits between them. Connecting
     * is still capped at 10 seconds per attempt.
     *
     * @throws IllegalArgumentException if the timeout is null, under 1 ms or over 24 days
     */
    public Builder timeout(Duration timeout) {
      this.timeout = checkTimeout("timeout", timeout);
      return this;
    }

    /**
     * Sets the most retries for this call (0 turns retrying off); the client's
     * {@code maxRetries} applies otherwise.
     *
     * @throws IllegalArgumentException if it is negative or above 10
     */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = checkMaxRetries(maxRetries);
      return this;
    }

    /**
     * Sets the {@code Idempotency-Key} a POST or PATCH carries on every attempt, instead of the
     * random one the SDK makes per call. Reuse a key to make a retry of your own safe. Ignored by
     * GET, PUT and DELETE, which are idempotent already.
     *
     * @throws IllegalArgumentException if it is blank, longer than 255 characters, or has a
     *     character HTTP headers cannot carry
     */
    public Builder idempotencyKey(String idempotencyKey) {
      checkHeaderValue("idempotencyKey", idempotencyKey);
      if (idempotencyKey.length() > 255) {
        throw new IllegalArgumentException("idempotencyKey must be at most 255 characters, got "
            + idempotencyKey.length() + "; a UUID is typical");
      }
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    /**
     * Sets the workspace this call acts on ({@code x-workspace-id}), instead of the client's.
     * Only organization- and user-scoped keys can choose a workspace: with a workspace-scoped key
     * the call is refused before it is sent.
     *
     * @throws IllegalArgumentException if the id is null, blank or not header-safe
     */
    public Builder workspaceId(String workspaceId) {
      this.workspaceId = checkHeaderValue("workspaceId", workspaceId);
      return this;
    }

    /**
     * Sets the organization this call acts in ({@code x-organization-id}), instead of the
     * client's. Only user-scoped keys send it: with another scope the call is refused before it
     * is sent.
     *
     * @throws IllegalArgumentException if the id is null, blank or not header-safe
     */
    public Builder organizationId(String organizationId) {
      this.organizationId = checkHeaderValue("organizationId", organizationId);
      return this;
    }

    /**
     * Marks the call as background work (default false): the client's rate limiter lets it use a
     * window or the daily budget only down to the reserve it keeps for the application's other
     * calls (see {@code RateLimits.backgroundReserve}). Use it for your own batch jobs, so that
     * they never spend the request a user-facing call needs.
     */
    public Builder background(boolean background) {
      this.background = background;
      return this;
    }

    /** Returns the options built so far. */
    public RequestOptions build() {
      return new RequestOptions(this);
    }
  }
}
