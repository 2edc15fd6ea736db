package io.mutagent;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A successful response with what came with it: status, headers, request id, rate-limit values
 * and the parsed body. Get one from a namespace's {@code withRawResponse()} view, e.g.
 * {@code client.prompt().withRawResponse().getPrompt("prm_1")}. Immutable.
 *
 * @param <T> the parsed body's type ({@link Void} for an operation that answers without a body)
 */
public final class RawResponse<T> {
  private final int statusCode;
  private final HttpHeaders headers;
  private final Instant receivedAt;
  private final @Nullable T body;

  private RawResponse(int statusCode, HttpHeaders headers, Instant receivedAt, @Nullable T body) {
    this.statusCode = statusCode;
    this.headers = headers;
    this.receivedAt = receivedAt;
    this.body = body;
  }

  /**
   * Returns a raw response. The client makes these; the factory is public so that tests of code
   * that uses the SDK can make one too.
   *
   * @throws NullPointerException if headers or receivedAt is null
   */
  public static <T> RawResponse<T> of(int statusCode, HttpHeaders headers, Instant receivedAt,
      @Nullable T body) {
    return new RawResponse<>(statusCode, java.util.Objects.requireNonNull(headers, "headers"),
        java.util.Objects.requireNonNull(receivedAt, "receivedAt"), body);
  }

  /** Returns the HTTP status code (2xx). */
  public int statusCode() {
    return statusCode;
  }

  /** Returns the response headers. */
  public HttpHeaders headers() {
    return headers;
  }

  /** Returns the request id to quote to MutagenT support ({@code X-Request-Id}), when the server sent one. */
  public Optional<String> requestId() {
    return headers.first("X-Request-Id");
  }

  /** Returns the rate-limit values the response carried. */
  public RateLimit rateLimit() {
    return RateLimit.of(headers, receivedAt);
  }

  /** Returns when the response headers arrived. */
  public Instant receivedAt() {
    return receivedAt;
  }

  /**
   * Returns the parsed body: never null for an operation that answers with a body, null for one
   * that answers without (its type is {@link Void}).
   */
  public @Nullable T body() {
    return body;
  }

  /** Describes the status and header names; the body prints through its own {@code toString()}. */
  @Override
  public String toString() {
    return "RawResponse{status=" + statusCode + ", headers=" + headers.names() + ", body=" + body + "}";
  }
}
