package io.mutagent.errors;

import io.mutagent.HttpHeaders;
import io.mutagent.models.ErrorBody;
import org.jspecify.annotations.Nullable;

/** HTTP 404: the resource does not exist, or is not visible to this key's workspace. */
public class NotFoundException extends MutagentApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the client does this when the API answers 404. */
  public NotFoundException(String message, HttpHeaders headers, @Nullable ErrorBody body, @Nullable String rawBody, @Nullable String requestId) {
    super(message, 404, headers, body, rawBody, requestId);
  }
}
