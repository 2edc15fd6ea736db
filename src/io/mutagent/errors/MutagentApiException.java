package io.mutagent.errors;

import io.mutagent.models.ErrorBody;
import java.util.Optional;
import okhttp3.Headers;

/**
 * The API answered with an error status. There is one subclass per status the API uses (see
 * {@link #of}); catch this class to handle them all. Carries the status, the response headers, the
 * parsed {@link ErrorBody} and the request id to quote to support.
 */
public class MutagentApiException extends MutagentException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String[] headerNamesAndValues; // Headers is not Serializable; this is
  private transient Headers headers;
  private final transient ErrorBody body;
  private final String requestId;

  /**
   * Creates the exception; {@link #of} picks the subclass for a status.
   *
   * @param message what happened and, where known, the fix
   * @param statusCode the HTTP status
   * @param headers the response headers
   * @param body the parsed error body, or null when the body was not the API's Error JSON
   * @param requestId the request id from {@code X-Request-Id} or the body, or null
   */
  public MutagentApiException(
      String message, int statusCode, Headers headers, ErrorBody body, String requestId) {
    super(message);
    this.statusCode = statusCode;
    this.headers = headers == null ? Headers.of() : headers;
    String[] pairs = new String[this.headers.size() * 2];
    for (int i = 0; i < this.headers.size(); i++) {
      pairs[2 * i] = this.headers.name(i);
      pairs[2 * i + 1] = this.headers.value(i);
    }
    this.headerNamesAndValues = pairs;
    this.body = body;
    this.requestId = requestId;
  }

  /**
   * Returns the exception class for a status: 400 {@link BadRequestException}, 401
   * {@link AuthenticationException}, 403 {@link PermissionDeniedException}, 404
   * {@link NotFoundException}, 409 {@link ConflictException}, 422
   * {@link UnprocessableEntityException}, 429 {@link RateLimitException}, 5xx
   * {@link InternalServerException}, anything else {@link UnexpectedStatusException}.
   */
  public static MutagentApiException of(
      String message, int statusCode, Headers headers, ErrorBody body, String requestId) {
    switch (statusCode) {
      case 400:
        return new BadRequestException(message, headers, body, requestId);
      case 401:
        return new AuthenticationException(message, headers, body, requestId);
      case 403:
        return new PermissionDeniedException(message, headers, body, requestId);
      case 404:
        return new NotFoundException(message, headers, body, requestId);
      case 409:
        return new ConflictException(message, headers, body, requestId);
      case 422:
        return new UnprocessableEntityException(message, headers, body, requestId);
      case 429:
        return new RateLimitException(message, headers, body, requestId);
      default:
        return statusCode >= 500 && statusCode <= 599
            ? new InternalServerException(message, statusCode, headers, body, requestId)
            : new UnexpectedStatusException(message, statusCode, headers, body, requestId);
    }
  }

  /** Returns the HTTP status code. */
  public int statusCode() {
    return statusCode;
  }

  /** Returns the response headers (names are case-insensitive); kept when the exception is serialized. */
  public Headers headers() {
    Headers current = headers;
    if (current == null) {
      current = Headers.of(headerNamesAndValues);
      headers = current;
    }
    return current;
  }

  /**
   * Returns the parsed error body, or empty when the body was not the API's Error JSON (or the
   * exception was deserialized: models are not Serializable).
   */
  public Optional<ErrorBody> body() {
    return Optional.ofNullable(body);
  }

  /** Returns the API's short error code (the body's {@code error}, e.g. {@code not_found}). */
  public Optional<String> errorCode() {
    return body().map(ErrorBody::error);
  }

  /** Returns the request id to quote to MutagenT support, when the server sent one. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }
}
