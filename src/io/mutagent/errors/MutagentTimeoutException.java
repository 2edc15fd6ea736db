package io.mutagent.errors;

import java.io.IOException;

/**
 * The call took longer than its timeout (the client's {@code timeout}, or the call's
 * {@link io.mutagent.RequestOptions#timeout()}). A kind of {@link MutagentIoException}.
 */
public class MutagentTimeoutException extends MutagentIoException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the call and the limit. */
  public MutagentTimeoutException(String message, IOException cause) {
    super(message, cause);
  }
}
