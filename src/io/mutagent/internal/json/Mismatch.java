package io.mutagent.internal.json;

import com.google.gson.JsonElement;
import io.mutagent.errors.MutagentInvalidDataException;
import org.jspecify.annotations.Nullable;

/**
 * A value the server sent that does not fit the type the spec gives it (a wrong JSON type, a
 * number out of range, an enum that is not a string, a list or map with such an item). A model
 * keeps it in the property's slot in place of a value, so that only that property's getter fails;
 * the model writes it back as it came. Made only when reading finds one, never on the happy path.
 * Immutable: the JSON value is never handed out, only copies of it. Internal.
 */
final class Mismatch {
  /** Where the value that does not fit is, made safe for a message (see {@link ValueReader}). */
  private final String path;
  /** What came and what the spec wants, in our own words: no server text. */
  private final String problem;
  /** The property's whole value, as it came. */
  private final JsonElement raw;

  Mismatch(String path, String problem, JsonElement raw) {
    this.path = path;
    this.problem = problem;
    this.raw = raw;
  }

  /** Returns the same problem and path for the whole list or map that holds this value. */
  Mismatch within(JsonElement whole) {
    return new Mismatch(path, problem, whole);
  }

  /** Returns a copy of the value as it came. */
  JsonElement raw() {
    return raw.deepCopy();
  }

  /** Returns the value as it came, to write back or summarize; never to hand out. */
  JsonElement rawForWriting() {
    return raw;
  }

  /** Returns what the server sent and where, for a response-level message. */
  String describe() {
    return "the server sent " + problem + " (at " + path + ")";
  }

  /** Returns the exception the getter of {@code model.property} throws. */
  MutagentInvalidDataException failure(String model, String property) {
    return new MutagentInvalidDataException(model + "." + property + ": " + describe() + ", which the API spec "
        + "does not allow; rawJson(\"" + property + "\") gives the value as it came, and the rest of the object "
        + "is still readable");
  }

  /** Equal when the values as they came are equal: where they sat in a response does not matter. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Mismatch && raw.equals(((Mismatch) o).raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  /** Shows that the value is invalid, never the value itself (see {@link ModelSchema#toString}). */
  @Override
  public String toString() {
    return "[invalid: " + problem + "]";
  }
}
