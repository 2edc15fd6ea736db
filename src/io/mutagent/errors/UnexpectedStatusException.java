package io.mutagent.errors;

import io.mutagent.models.ErrorBody;
import okhttp3.Headers;

/** An error status the API does not document (neither 400, 401, 403, 404, 409, 422, 429 nor 5xx). */
public class UnexpectedStatusException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers with such a status. */
  public UnexpectedStatusException(String message, int statusCode, Headers headers, ErrorBody body, String requestId) {
    super(message, statusCode, headers, body, requestId);
  }
}
