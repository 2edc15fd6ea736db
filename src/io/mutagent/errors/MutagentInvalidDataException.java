package io.mutagent.errors;

/**
 * The server's data does not fit the model this SDK expects: a required field is missing or null
 * when you read it, or a body cannot be parsed as JSON of the expected shape. Thrown when the data
 * is read, so the rest of a response stays usable.
 */
public class MutagentInvalidDataException extends MutagentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the model and field. */
  public MutagentInvalidDataException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the parse failure that caused it. */
  public MutagentInvalidDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
