package io.mutagent.errors;

/**
 * The root of every exception the SDK throws. Unchecked: catch it (or one of its subclasses) where
 * you can act on it.
 */
public class MutagentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what went wrong and, where known, the fix. */
  public MutagentException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the failure that caused it. */
  public MutagentException(String message, Throwable cause) {
    super(message, cause);
  }
}
