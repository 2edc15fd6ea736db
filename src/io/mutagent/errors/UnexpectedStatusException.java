package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import io.mutagent.models.ErrorBody;
import org.jspecify.annotations.Nullable;

/** An error status the API does not document (neither 400, 401, 403, 404, 409, 422, 429 nor 5xx). */
public class UnexpectedStatusException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers with such a status. */
  public UnexpectedStatusException(String message, int statusCode, HttpHeaders headers, @Nullable ErrorBody body, @Nullable String rawBody, @Nullable String requestId) {
    super(message, statusCode, headers, body, rawBody, requestId);
  }
}
