package io.mutagent.errors;

import io.mutagent.models.ErrorBody;
import okhttp3.Headers;

/** HTTP 403: the credentials are valid but may not do this (check the key's scope and the workspace and organization ids the client sends). */
public class PermissionDeniedException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers 403. */
  public PermissionDeniedException(String message, Headers headers, ErrorBody body, String requestId) {
    super(message, 403, headers, body, requestId);
  }
}
