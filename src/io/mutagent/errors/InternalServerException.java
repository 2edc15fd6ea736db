package io.mutagent.errors;

import io.mutagent.models.ErrorBody;
import okhttp3.Headers;

/** HTTP 5xx: the server failed; safe to retry later for reads. */
public class InternalServerException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers with such a status. */
  public InternalServerException(String message, int statusCode, Headers headers, ErrorBody body, String requestId) {
    super(message, statusCode, headers, body, requestId);
  }
}
