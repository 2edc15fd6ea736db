package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import io.mutagent.models.ErrorBody;
import org.jspecify.annotations.Nullable;

/** HTTP 409: the request conflicts with the resource's current state (for example a job already paused). */
public class ConflictException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers 409. */
  public ConflictException(String message, HttpHeaders headers, @Nullable ErrorBody body, @Nullable String rawBody, @Nullable String requestId) {
    super(message, 409, headers, body, rawBody, requestId);
  }
}
