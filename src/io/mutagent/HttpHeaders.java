package io.mutagent;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The headers of an HTTP response, as the SDK's own type: names are case-insensitive, values keep
 * the order they came in. Immutable and serializable.
 */
public final class HttpHeaders implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final HttpHeaders EMPTY = new HttpHeaders(new String[0]);

  /** Name, value, name, value, ... in the order received. */
  private final String[] namesAndValues;

  private HttpHeaders(String[] namesAndValues) {
    this.namesAndValues = namesAndValues;
  }

  /** Returns headers with no entries. */
  public static HttpHeaders empty() {
    return EMPTY;
  }

  /**
   * Returns headers from alternating names and values ({@code "Retry-After", "5", ...}).
   *
   * @throws IllegalArgumentException if the count is odd or an entry is null
   */
  public static HttpHeaders of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("namesAndValues must alternate name and value; got an odd count");
    }
    for (String s : namesAndValues) {
      if (s == null) {
        throw new IllegalArgumentException("namesAndValues must not hold null");
      }
    }
    return namesAndValues.length == 0 ? EMPTY : new HttpHeaders(namesAndValues.clone());
  }

  /** Returns the first value of the header, or empty when it is absent. */
  public Optional<String> first(String name) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i].equalsIgnoreCase(name)) {
        return Optional.of(namesAndValues[i + 1]);
      }
    }
    return Optional.empty();
  }

  /** Returns every value of the header in the order received; empty when it is absent. */
  public List<String> all(String name) {
    List<String> values = new ArrayList<>(1);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i].equalsIgnoreCase(name)) {
        values.add(namesAndValues[i + 1]);
      }
    }
    return Collections.unmodifiableList(values);
  }

  /** Returns the header names, lower-cased and sorted. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      names.add(namesAndValues[i].toLowerCase(Locale.ROOT));
    }
    return Collections.unmodifiableSet(names);
  }

  /** Returns the number of header lines. */
  public int size() {
    return namesAndValues.length / 2;
  }

  /** Returns the headers as an unmodifiable, case-insensitive map from name to values. */
  public Map<String, List<String>> toMap() {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.computeIfAbsent(namesAndValues[i], k -> new ArrayList<>()).add(namesAndValues[i + 1]);
    }
    map.replaceAll((k, v) -> Collections.unmodifiableList(v));
    return Collections.unmodifiableMap(map);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpHeaders && java.util.Arrays.equals(namesAndValues, ((HttpHeaders) o).namesAndValues);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(namesAndValues);
  }

  /** Lists the header names only: a value may carry a secret a server echoed back. */
  @Override
  public String toString() {
    return "HttpHeaders" + names();
  }
}
