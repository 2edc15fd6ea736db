package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import io.mutagent.models.ErrorBody;
import org.jspecify.annotations.Nullable;

/** HTTP 401: no credentials, or the API key or bearer token was rejected. */
public class AuthenticationException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers 401. */
  public AuthenticationException(String message, HttpHeaders headers, @Nullable ErrorBody body, @Nullable String rawBody, @Nullable String requestId) {
    super(message, 401, headers, body, rawBody, requestId);
  }
}
