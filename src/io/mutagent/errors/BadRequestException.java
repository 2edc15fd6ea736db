package io.mutagent.errors;

import io.mutagent.models.ErrorBody;
import okhttp3.Headers;

/** HTTP 400: the request was malformed or a value was invalid; the body's message says which. */
public class BadRequestException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers 400. */
  public BadRequestException(String message, Headers headers, ErrorBody body, String requestId) {
    super(message, 400, headers, body, requestId);
  }
}
