package io.mutagent.internal;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The values of one operation's query parameters, by position (counted from 1, in the spec's
 * order), as a generated params class and its builder keep them; as a map (the set values only, by their API names, in the spec's order) it is
 * the operation's Retrofit {@code @QueryMap}, so Retrofit sends each value's {@code toString()} as
 * it would a {@code @Query} argument. Internal: used by generated code.
 */
public final class QueryValues extends AbstractMap<String, Object> {
  private final String[] names;
  private final @Nullable Object[] values;

  /**
   * Creates the values of parameters with these API names, none set.
   *
   * @param names the names in the spec's order; shared, never modified
   */
  public QueryValues(String[] names) {
    this(names, new Object[names.length]);
  }

  private QueryValues(String[] names, @Nullable Object[] values) {
    this.names = names;
    this.values = values;
  }

  /** Returns a copy that changes independently of this one. */
  public QueryValues copy() {
    return new QueryValues(names, values.clone());
  }

  /** Sets the value at {@code position} (from 1); null leaves the parameter out. */
  public void set(int position, @Nullable Object value) {
    values[position - 1] = value;
  }

  /** Returns the value at {@code position} (from 1), or empty when it is not set. */
  @SuppressWarnings("unchecked") // the generated setter of that position takes a T
  public <T> Optional<T> optional(int position) {
    return Optional.ofNullable((T) values[position - 1]);
  }

  /**
   * Returns the list at {@code position} (from 1), or null when it is not set; the namespace
   * classes pass it to Retrofit as its own {@code @Query} argument (one name=value per item),
   * since a list is never in the map (see {@link #entrySet()}).
   */
  @SuppressWarnings("unchecked") // the generated setter of that position takes a List<T>
  public <T> @Nullable List<T> list(int position) {
    return (List<T>) values[position - 1];
  }

  /** Returns the integer at {@code position} (from 1), or empty when it is not set. */
  public OptionalInt optionalInt(int position) {
    Object value = values[position - 1];
    return value == null ? OptionalInt.empty() : OptionalInt.of((Integer) value);
  }

  /** Returns the long at {@code position} (from 1), or empty when it is not set. */
  public OptionalLong optionalLong(int position) {
    Object value = values[position - 1];
    return value == null ? OptionalLong.empty() : OptionalLong.of((Long) value);
  }

  /** Lists the values that are set: {@code ListPromptsParams{page=2, status=active}}. */
  public String describe(String typeName) {
    StringBuilder text = new StringBuilder(typeName).append('{');
    String separator = "";
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        text.append(separator).append(names[i]).append('=').append(values[i]);
        separator = ", ";
      }
    }
    return text.append('}').toString();
  }

  /** The set values, by name, in the spec's order, lists left out (see {@link #list}). */
  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new NamedEntries<>(names, values);
  }

  /** Equal to values of the same parameters set to equal values. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof QueryValues)) {
      return false;
    }
    QueryValues that = (QueryValues) o;
    return Arrays.equals(names, that.names) && Arrays.equals(values, that.values);
  }

  /** The hash of the values in order, as {@code Objects.hash} of them. */
  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }
}
