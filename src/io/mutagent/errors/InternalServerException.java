package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import io.mutagent.models.ErrorBody;
import org.jspecify.annotations.Nullable;

/** HTTP 5xx: the server failed; safe to retry later for reads. */
public class InternalServerException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers with such a status. */
  public InternalServerException(String message, int statusCode, HttpHeaders headers, @Nullable ErrorBody body, @Nullable String rawBody, @Nullable String requestId) {
    super(message, statusCode, headers, body, rawBody, requestId);
  }
}
