package io.mutagent.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One JSON property of a model in one of three states: missing (left out), explicitly
 * {@code null}, or a value. Models keep these apart so that a PATCH can say "leave as is",
 * "set to null" or "set to x", and so that what the server sent is written back unchanged.
 * Internal: the public model API exposes values and {@code Optional}s.
 *
 * @param <T> the value's type
 */
public final class JsonField<T> {
  private static final JsonField<?> MISSING = new JsonField<>(null);
  private static final JsonField<?> NULL = new JsonField<>(null);

  private final @Nullable T value;

  private JsonField(@Nullable T value) {
    this.value = value;
  }

  /** Returns the field that is left out of the JSON. */
  @SuppressWarnings("unchecked")
  public static <T> JsonField<T> missing() {
    return (JsonField<T>) MISSING;
  }

  /** Returns the field written as an explicit JSON {@code null}. */
  @SuppressWarnings("unchecked")
  public static <T> JsonField<T> ofNull() {
    return (JsonField<T>) NULL;
  }

  /** Returns a field with a value; a null value gives {@link #ofNull()}. */
  public static <T> JsonField<T> of(@Nullable T value) {
    return value == null ? ofNull() : new JsonField<>(value);
  }

  /** Returns whether the field is left out. */
  public boolean isMissing() {
    return this == MISSING;
  }

  /** Returns whether the field is an explicit null. */
  public boolean isNull() {
    return this == NULL;
  }

  /** Returns the value, or null when the field is missing or null. */
  public @Nullable T orNull() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof JsonField) || isMissing() || isNull()) {
      return false;
    }
    JsonField<?> that = (JsonField<?>) o;
    return !that.isMissing() && !that.isNull() && Objects.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return isMissing() ? 1 : isNull() ? 2 : Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return isMissing() ? "<missing>" : String.valueOf(value);
  }
}
