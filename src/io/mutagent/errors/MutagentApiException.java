package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import io.mutagent.RateLimit;
import io.mutagent.models.ErrorBody;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The API answered with an error status. There is one subclass per status the API uses (see
 * {@link #of}); catch this class to handle them all. Carries the status, the response headers, the
 * parsed {@link ErrorBody} (or the raw text of a body of another shape), the rate-limit values and
 * the request id to quote to support.
 */
public class MutagentApiException extends MutagentException {
  private static final long serialVersionUID = 2L;

  private final int statusCode;
  private final HttpHeaders headers;
  private final transient @Nullable ErrorBody body;
  private final @Nullable String rawBody;
  private final @Nullable String requestId;
  private final RateLimit rateLimit;

  /**
   * Creates the exception; {@link #of} picks the subclass for a status.
   *
   * @param message what happened and, where known, the fix
   * @param statusCode the HTTP status
   * @param headers the response headers (null for none)
   * @param body the parsed error body, or null when the body was not the API's Error JSON
   * @param rawBody the body's text, bounded, when it was not the API's Error JSON; otherwise null
   * @param requestId the request id from {@code X-Request-Id} or the body, or null
   */
  public MutagentApiException(String message, int statusCode, HttpHeaders headers, @Nullable ErrorBody body,
      @Nullable String rawBody, @Nullable String requestId) {
    super(message);
    this.statusCode = statusCode;
    this.headers = headers == null ? HttpHeaders.empty() : headers;
    this.body = body;
    this.rawBody = rawBody;
    this.requestId = requestId;
    this.rateLimit = RateLimit.of(this.headers, Instant.now());
  }

  /**
   * Returns the exception class for a status: 400 {@link BadRequestException}, 401
   * {@link AuthenticationException}, 403 {@link PermissionDeniedException}, 404
   * {@link NotFoundException}, 409 {@link ConflictException}, 422
   * {@link UnprocessableEntityException}, 429 {@link RateLimitException}, 5xx
   * {@link InternalServerException}, anything else {@link UnexpectedStatusException}.
   *
   * @param message what happened and, where known, the fix
   * @param statusCode the HTTP status
   * @param headers the response headers (null for none)
   * @param body the parsed error body, or null
   * @param rawBody the body's text when it was not the API's Error JSON, or null
   * @param requestId the request id, or null
   * @return the exception, not thrown
   */
  public static MutagentApiException of(String message, int statusCode, HttpHeaders headers,
      @Nullable ErrorBody body, @Nullable String rawBody, @Nullable String requestId) {
    switch (statusCode) {
      case 400:
        return new BadRequestException(message, headers, body, rawBody, requestId);
      case 401:
        return new AuthenticationException(message, headers, body, rawBody, requestId);
      case 403:
        return new PermissionDeniedException(message, headers, body, rawBody, requestId);
      case 404:
        return new NotFoundException(message, headers, body, rawBody, requestId);
      case 409:
        return new ConflictException(message, headers, body, rawBody, requestId);
      case 422:
        return new UnprocessableEntityException(message, headers, body, rawBody, requestId);
      case 429:
        return new RateLimitException(message, headers, body, rawBody, requestId);
      default:
        return statusCode >= 500 && statusCode <= 599
            ? new InternalServerException(message, statusCode, headers, body, rawBody, requestId)
            : new UnexpectedStatusException(message, statusCode, headers, body, rawBody, requestId);
    }
  }

  /** Returns the HTTP status code. */
  public int statusCode() {
    return statusCode;
  }

  /** Returns the response headers (names are case-insensitive); kept when the exception is serialized. */
  public HttpHeaders headers() {
    return headers;
  }

  /**
   * Returns the parsed error body, or empty when the body was not the API's Error JSON (see
   * {@link #rawBody()}) or the exception was deserialized (models are not Serializable).
   */
  public Optional<ErrorBody> body() {
    return Optional.ofNullable(body);
  }

  /**
   * Returns the text of an error body that was not the API's Error JSON (an HTML page from a
   * proxy, {@code {"detail": ...}}), at most 8 KiB of it; empty when the body was the Error JSON
   * or there was none.
   */
  public Optional<String> rawBody() {
    return Optional.ofNullable(rawBody);
  }

  /** Returns the API's short error code (the body's {@code error}, e.g. {@code not_found}). */
  public Optional<String> errorCode() {
    return body().map(ErrorBody::error);
  }

  /** Returns the request id to quote to MutagenT support, when the server sent one. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /**
   * Returns the rate-limit values the response carried; {@link RateLimit#retryAfter()} says how
   * long is left to wait when the server sent {@code Retry-After} (429, and some 503s).
   */
  public RateLimit rateLimit() {
    return rateLimit;
  }
}
