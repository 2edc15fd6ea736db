package io.mutagent.errors;

import io.mutagent.models.ErrorBody;
import okhttp3.Headers;

/** HTTP 401: no credentials, or the API key or bearer token was rejected. */
public class AuthenticationException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers 401. */
  public AuthenticationException(String message, Headers headers, ErrorBody body, String requestId) {
    super(message, 401, headers, body, requestId);
  }
}
