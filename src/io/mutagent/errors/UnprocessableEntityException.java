package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import io.mutagent.models.ErrorBody;
import org.jspecify.annotations.Nullable;

/** HTTP 422: the request was well-formed but failed validation. */
public class UnprocessableEntityException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers 422. */
  public UnprocessableEntityException(String message, HttpHeaders headers, @Nullable ErrorBody body, @Nullable String rawBody, @Nullable String requestId) {
    super(message, 422, headers, body, rawBody, requestId);
  }
}
