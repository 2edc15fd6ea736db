package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import io.mutagent.models.ErrorBody;
import org.jspecify.annotations.Nullable;

/** HTTP 400: the request was malformed or a value was invalid; the body's message says which. */
public class BadRequestException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers 400. */
  public BadRequestException(String message, HttpHeaders headers, @Nullable ErrorBody body, @Nullable String rawBody, @Nullable String requestId) {
    super(message, 400, headers, body, rawBody, requestId);
  }
}
