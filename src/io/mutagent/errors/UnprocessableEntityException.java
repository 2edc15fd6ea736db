package io.mutagent.errors;

import io.mutagent.models.ErrorBody;
import okhttp3.Headers;

/** HTTP 422: the request was well-formed but failed validation. */
public class UnprocessableEntityException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers 422. */
  public UnprocessableEntityException(String message, Headers headers, ErrorBody body, String requestId) {
    super(message, 422, headers, body, requestId);
  }
}
