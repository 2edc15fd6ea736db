package io.mutagent.internal.http;

import io.mutagent.RequestOptions;
import io.mutagent.internal.NamedEntries;
import java.io.IOException;
import java.io.InputStream;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;
import retrofit2.Call;
import retrofit2.Invocation;

/**
 * The headers of one call, passed to its Retrofit method as the {@code @HeaderMap} argument, so
 * that Retrofit builds each attempt's request whole and no interceptor has to copy it. Its entries
 * are those of the attempt in flight: {@code User-Agent} and {@code Accept} (unless the call's
 * options set them), the options' extra headers, the credential read for that attempt, the scope
 * ids, the {@code Idempotency-Key} of a POST or PATCH, and {@link #RETRY_COUNT} on a retry. A retry
 * runs a clone of the call's first Retrofit call, which shares this object; as the runner's call
 * maker ({@link #calls}) it sets the attempt before each. The interceptors find the attempt of a
 * request with {@link #attemptOf}. Internal.
 */
public final class CallHeaders extends AbstractMap<String, String> implements Function<Attempt, Call<?>> {
  /** The SDK's version, from the jar's build metadata. */
  public static final String VERSION = readVersion();
  /** {@code mutagent-java/0.1.0 (Java 17; Linux)}. */
  public static final String USER_AGENT = "mutagent-java/" + VERSION + " (Java "
      + System.getProperty("java.specification.version") + "; " + System.getProperty("os.name") + ")";
  /** The header a retry carries: 1 on the first retry, 2 on the second. */
  public static final String RETRY_COUNT = "X-Mutagent-Retry-Count";
  /** The media type a JSON operation answers in. */
  public static final String JSON = "application/json";

  /** The call's options as the caller passed them; the call checks them when it starts. */
  private final @Nullable RequestOptions options;
  private final String accept;
  private final boolean write;
  private volatile @Nullable Attempt attempt;
  private @Nullable Call<?> first;
  /** Whether the first Retrofit call was handed out: every later attempt runs a clone of it. */
  private boolean firstUsed;

  /**
   * Creates the headers of one call.
   *
   * @param options the call's options, checked when the call starts (null fails it then)
   * @param method the operation's HTTP method: a POST or PATCH carries an Idempotency-Key
   * @param accept the media type the operation answers in
   */
  public CallHeaders(@Nullable RequestOptions options, String method, String accept) {
    this.options = options;
    this.accept = accept;
    this.write = method.equals("POST") || method.equals("PATCH");
  }

  /** Returns the call's options as the caller passed them (possibly null). */
  public @Nullable RequestOptions options() {
    return options;
  }

  /**
   * Returns what makes the Retrofit call of each attempt: {@code first} for the first, a clone of it
   * for each later one, after making the attempt this object's current one. (This object itself, so a
   * call allocates nothing more; one call, one first Retrofit call.)
   */
  @SuppressWarnings({"unchecked", "rawtypes"}) // first is a Call<T>, so each attempt's call is too
  public <T> Function<Attempt, Call<T>> calls(Call<T> first) {
    this.first = first;
    return (Function) this;
  }

  /**
   * Makes the attempt current and returns its Retrofit call: the first call for the first attempt,
   * a clone for each later one (a retry, or the first attempt sent again after a stale pooled
   * connection). A call's attempts run one after another, never at once.
   */
  @Override
  public Call<?> apply(Attempt next) {
    Call<?> call = Objects.requireNonNull(first, "calls(first) comes first");
    attempt = next;
    if (!firstUsed) {
      firstUsed = true;
      return call;
    }
    return call.clone();
  }

  /**
   * Returns the attempt a request belongs to, or null for a request that is not one of the SDK's
   * calls. Retrofit tags every request with its {@link Invocation}, whose last argument is the
   * call's headers.
   */
  static @Nullable Attempt attemptOf(Request request) {
    Invocation invocation = request.tag(Invocation.class);
    if (invocation == null) {
      return null;
    }
    List<?> arguments = invocation.arguments();
    Object last = arguments.isEmpty() ? null : arguments.get(arguments.size() - 1);
    return last instanceof CallHeaders ? ((CallHeaders) last).attempt : null;
  }

  /** The headers of the attempt in flight, in the order they are sent; none before the first. */
  @Override
  public Set<Entry<String, String>> entrySet() {
    Attempt current = attempt;
    if (current == null) {
      return Collections.emptySet();
    }
    CallPlan plan = current.plan;
    Map<String, String> extra = plan.options.headers();
    String[] names = new String[extra.size() + 7];
    String[] values = new String[names.length];
    int n = 0;
    if (!hasHeader(extra, "User-Agent")) {
      names[n] = "User-Agent";
      values[n++] = USER_AGENT;
    }
    if (!hasHeader(extra, "Accept")) {
      names[n] = "Accept";
      values[n++] = accept;
    }
    if (!extra.isEmpty()) { // an empty map's entry set and iterator are still objects
      for (Map.Entry<String, String> header : extra.entrySet()) {
        names[n] = header.getKey();
        values[n++] = header.getValue();
      }
    }
    names[n] = current.authName == null ? "" : current.authName;
    values[n++] = current.authValue; // null (left out) without a credential
    names[n] = "x-workspace-id";
    values[n++] = plan.workspaceId;
    names[n] = "x-organization-id";
    values[n++] = plan.organizationId;
    names[n] = "Idempotency-Key";
    values[n++] = write ? plan.idempotencyKey() : null;
    names[n] = RETRY_COUNT;
    values[n] = current.retryCount > 0 ? Integer.toString(current.retryCount) : null;
    return new NamedEntries<>(names, values);
  }

  /** Whether the options' headers (names unique regardless of case) include this one. */
  private static boolean hasHeader(Map<String, String> headers, String name) {
    if (headers.isEmpty()) {
      return false;
    }
    for (String key : headers.keySet()) {
      if (key.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** One call's headers are equal only to themselves. */
  @Override
  public boolean equals(@Nullable Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  /** Names the attempt, never a header value (one is the credential). */
  @Override
  public String toString() {
    Attempt current = attempt;
    return "CallHeaders{" + (current == null ? "not started" : "attempt " + current.number()) + "}";
  }

  private static String readVersion() {
    try (InputStream in = CallHeaders.class.getResourceAsStream("/io/mutagent/version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
