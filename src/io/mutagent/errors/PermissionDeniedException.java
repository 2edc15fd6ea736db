package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import io.mutagent.models.ErrorBody;
import org.jspecify.annotations.Nullable;

/** HTTP 403: the credentials are valid but may not do this (check the key's scope and the workspace and organization ids the client sends). */
public class PermissionDeniedException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers 403. */
  public PermissionDeniedException(String message, HttpHeaders headers, @Nullable ErrorBody body, @Nullable String rawBody, @Nullable String requestId) {
    super(message, 403, headers, body, rawBody, requestId);
  }
}
