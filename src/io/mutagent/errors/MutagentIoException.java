package io.mutagent.errors;

import java.io.IOException;

/**
 * The call did not get a response: the connection failed, was cut, or timed out
 * ({@link MutagentTimeoutException}). The cause is the underlying {@link IOException}. Whether the
 * server acted on the request is unknown.
 */
public class MutagentIoException extends MutagentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the call, and the I/O failure. */
  public MutagentIoException(String message, IOException cause) {
    super(message, cause);
  }
}
