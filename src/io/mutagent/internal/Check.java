package io.mutagent.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks that run before anything is sent; each message names the parameter and the fix.
 * Internal: called by generated code.
 */
public final class Check {
  private Check() {}

  /**
   * Checks a path parameter (an id) and returns it.
   *
   * @throws IllegalArgumentException if it is null or blank
   */
  public static String pathParam(String name, @Nullable String value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null: pass the id of the resource");
    }
    if (value.trim().isEmpty()) {
      throw new IllegalArgumentException(
          name + " must not be blank: pass the id of the resource, as the API returned it");
    }
    if (value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException(name + " must not be '" + value + "': as a path segment it "
          + "would change which resource the request names; pass the id of the resource");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(name + " is " + value.length() + " characters long; an id has at "
          + "most " + MAX_ID_LENGTH + ": pass the id of the resource, as the API returned it");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '/' || c == '?' || c == '#' || c == '\\') {
        throw new IllegalArgumentException(name + " has " + describe(c) + " at position " + i
            + "; an id has no whitespace, control or non-ASCII characters and no / ? # or \\: "
            + "pass the id of the resource, as the API returned it");
      }
    }
    return value;
  }

  /**
   * Returns the position of the first character a header value cannot carry as the SDK sends
   * credentials and ids (whitespace, a control character or non-ASCII), or -1 when there is none.
   * The one rule behind every header check: the builder's credentials and ids, RequestOptions, and
   * the credential suppliers.
   */
  public static int headerUnsafeAt(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return i;
      }
    }
    return -1;
  }

  /** The longest id the SDK sends; the API's ids are far shorter. */
  static final int MAX_ID_LENGTH = 256;

  private static String describe(char c) {
    if (c < ' ' || c == 0x7f) {
      return String.format("a control character (U+%04X)", (int) c);
    }
    if (c == ' ') {
      return "a space";
    }
    if (c >= 0x80) {
      return String.format("a non-ASCII character (U+%04X)", (int) c);
    }
    return "'" + c + "'";
  }

  /**
   * Checks a number that goes into JSON; null passes (it leaves the field out or sends null).
   *
   * @throws IllegalArgumentException if it is NaN or infinite
   */
  public static void finite(String name, Number value) {
    if (value instanceof Double && !Double.isFinite((Double) value)
        || value instanceof Float && !Float.isFinite((Float) value)) {
      throw new IllegalArgumentException(name + " must be a finite number, got " + value
          + ": JSON has no NaN or infinity");
    }
  }

  /**
   * Checks a request body and returns it.
   *
   * @throws IllegalArgumentException if it is null
   */
  public static <T> T body(String name, @Nullable T value, String type) {
    if (value == null) {
      throw new IllegalArgumentException(
          name + " must not be null: build one with " + type + ".builder()...build()");
    }
    return value;
  }

  /**
   * Checks a parameter that has a "none" value to pass instead of null, and returns it.
   *
   * @throws IllegalArgumentException if it is null
   */
  public static <T> T notNull(String name, @Nullable T value, String instead) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null: pass " + instead + " instead");
    }
    return value;
  }

  /**
   * Checks a required query parameter and returns it; a list is checked as {@link #items} does.
   *
   * @throws IllegalArgumentException if it is null, or a list with a null item
   */
  public static <T> T query(String name, @Nullable T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null: the query parameter " + name + " is required");
    }
    if (value instanceof List) {
      items(name, (List<?>) value);
    }
    return value;
  }

  /**
   * Checks the items of a query parameter's list and returns an unmodifiable copy of it, so that
   * changing the list later changes nothing that is sent; null passes (it leaves the parameter out).
   *
   * @throws IllegalArgumentException if an item is null
   */
  public static <T> @Nullable List<T> items(String name, @Nullable List<T> values) {
    if (values == null) {
      return null;
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw new IllegalArgumentException(name + " has null at index " + i + ": a query parameter's list holds values only");
      }
    }
    return Collections.unmodifiableList(new ArrayList<>(values));
  }

  /**
   * Checks a decimal lower bound from the spec; null passes.
   *
   * @throws IllegalArgumentException if the value is below the bound
   */
  public static void atLeast(String name, Number value, double minimum) {
    if (value != null && value.doubleValue() < minimum) {
      throw new IllegalArgumentException(name + " must be at least " + minimum + ", got " + value);
    }
  }

  /**
   * Checks a decimal upper bound from the spec; null passes.
   *
   * @throws IllegalArgumentException if the value is above the bound
   */
  public static void atMost(String name, Number value, double maximum) {
    if (value != null && value.doubleValue() > maximum) {
      throw new IllegalArgumentException(name + " must be at most " + maximum + ", got " + value);
    }
  }

  /**
   * Checks a text's length against the spec's minLength and maxLength; null passes.
   *
   * @throws IllegalArgumentException if the text is shorter or longer (the message gives lengths, not the text)
   */
  public static void length(String name, CharSequence value, int minLength, int maxLength) {
    if (value != null && (value.length() < minLength || value.length() > maxLength)) {
      throw new IllegalArgumentException(name + " must be " + (minLength == maxLength ? minLength
          : maxLength == Integer.MAX_VALUE ? "at least " + minLength
          : minLength == 0 ? "at most " + maxLength : minLength + " to " + maxLength)
          + " characters long, got " + value.length());
    }
  }

  /**
   * Checks a lower bound from the spec; null passes (it leaves the value to the server).
   *
   * @throws IllegalArgumentException if the value is below the bound
   */
  public static void atLeast(String name, Number value, long minimum) {
    if (value != null && value.doubleValue() < minimum) {
      throw new IllegalArgumentException(
          name + " must be at least " + minimum + ", got " + value);
    }
  }

  /**
   * Checks an upper bound from the spec; null passes.
   *
   * @throws IllegalArgumentException if the value is above the bound
   */
  public static void atMost(String name, Number value, long maximum) {
    if (value != null && value.doubleValue() > maximum) {
      throw new IllegalArgumentException(
          name + " must be at most " + maximum + ", got " + value);
    }
  }
}
