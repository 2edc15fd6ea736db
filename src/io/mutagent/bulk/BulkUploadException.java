package io.mutagent.bulk;

import io.mutagent.errors.MutagentException;

/**
 * A bulk upload ended before its end because its progress listener threw: no further chunk was
 * sent. The cause is what the listener threw; {@link #resultSoFar()} says what was sent.
 */
public final class BulkUploadException extends MutagentException {
  private static final long serialVersionUID = 1L;
  private final transient BulkResult<?> resultSoFar;

  /**
   * Creates the exception; the SDK does this.
   *
   * @param message what happened
   * @param cause what the listener threw
   * @param resultSoFar the summary of the chunks done before it ended
   */
  public BulkUploadException(String message, Throwable cause, BulkResult<?> resultSoFar) {
    super(message, cause);
    this.resultSoFar = resultSoFar;
  }

  /** Returns the summary of the chunks done before the upload ended (null after deserialization). */
  public BulkResult<?> resultSoFar() {
    return resultSoFar;
  }
}
