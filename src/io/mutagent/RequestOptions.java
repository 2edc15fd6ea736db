package io.mutagent;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Options for one call: a timeout for the whole call and extra headers. Immutable; build one with
 * {@link #builder()} and pass it to any namespace method that takes it.
 *
 * <pre>{@code
 * RequestOptions slow = RequestOptions.builder().timeout(Duration.ofMinutes(5)).build();
 * client.promptEvaluations().runEvaluation("eval_42", slow);
 * }</pre>
 */
public final class RequestOptions {
  private static final RequestOptions NONE = new RequestOptions(Collections.emptyMap(), null);

  private final Map<String, String> headers;
  private final Duration timeout;

  private RequestOptions(Map<String, String> headers, Duration timeout) {
    this.headers = headers;
    this.timeout = timeout;
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
    builder.headers.putAll(headers);
    builder.timeout = timeout;
    return builder;
  }

  /** Returns the extra headers sent with the call, in the order they were added (unmodifiable). */
  public Map<String, String> headers() {
    return headers;
  }

  /** Returns the timeout for the whole call, if one was set; otherwise the client's applies. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
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
    return headers.equals(that.headers) && Objects.equals(timeout, that.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(headers, timeout);
  }

  /** Lists the header names only: a header may carry a secret, so its value is never printed. */
  @Override
  public String toString() {
    return "RequestOptions{headers=" + headers.keySet() + ", timeout=" + timeout + "}";
  }

  /**
   * Checks a timeout: OkHttp counts whole milliseconds in an int, and 0 means "no timeout".
   *
   * @throws IllegalArgumentException if it is null, under 1 ms or over Integer.MAX_VALUE ms
   */
  static Duration checkTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.compareTo(Duration.ofMillis(1)) < 0
        || timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("timeout must be between 1 ms and 24 days, got " + timeout
          + "; e.g. Duration.ofSeconds(60)");
    }
    return timeout;
  }

  /** Builds {@link RequestOptions}. Not thread-safe; the options it builds are. */
  public static final class Builder {
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration timeout;

    private Builder() {}

    /**
     * Adds a header to send with the call, replacing one of the same name added before.
     *
     * @throws IllegalArgumentException if the name is not an HTTP token, or the value is null or
     *     has a control or non-ASCII character (the message gives its position, never the value)
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
      headers.put(name, value);
      return this;
    }

    /**
     * Sets the timeout for the whole call (connect, write, server time, read).
     *
     * @throws IllegalArgumentException if the timeout is null, under 1 ms or over 24 days
     */
    public Builder timeout(Duration timeout) {
      this.timeout = checkTimeout(timeout);
      return this;
    }

    /** Returns the options built so far. */
    public RequestOptions build() {
      if (headers.isEmpty() && timeout == null) {
        return NONE;
      }
      return new RequestOptions(
          Collections.unmodifiableMap(new LinkedHashMap<>(headers)), timeout);
    }
  }
}
