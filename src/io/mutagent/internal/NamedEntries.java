package io.mutagent.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * The entries of a name array and a value array of the same length, in their order, leaving out
 * null values and lists (a query parameter's list goes to Retrofit as its own {@code @Query}
 * argument, one name=value per item; a call's headers hold no list): the entry set of the SDK's small maps (a call's headers, an operation's query
 * values), which Retrofit iterates once per request. Also its own first iterator, so one object
 * serves that one walk. Internal.
 *
 * @param <V> the values' type
 */
public final class NamedEntries<V> extends AbstractSet<Map.Entry<String, V>> implements Iterator<Map.Entry<String, V>> {
  private final String[] names;
  private final @Nullable V[] values;
  private int next;
  private boolean iterating;

  /** Creates the entries; the arrays are read, never modified. */
  public NamedEntries(String[] names, @Nullable V[] values) {
    this.names = names;
    this.values = values;
    this.next = skipNulls(0);
  }

  @Override
  public Iterator<Map.Entry<String, V>> iterator() {
    if (iterating) {
      return new NamedEntries<>(names, values);
    }
    iterating = true;
    return this;
  }

  @Override
  public int size() {
    int size = 0;
    for (V value : values) {
      size += value == null || value instanceof List ? 0 : 1;
    }
    return size;
  }

  @Override
  public boolean hasNext() {
    return next < values.length;
  }

  @Override
  public Map.Entry<String, V> next() {
    if (next >= values.length) {
      throw new NoSuchElementException();
    }
    Map.Entry<String, V> entry = new AbstractMap.SimpleImmutableEntry<>(names[next], values[next]);
    next = skipNulls(next + 1);
    return entry;
  }

  private int skipNulls(int from) {
    int i = from;
    while (i < values.length && (values[i] == null || values[i] instanceof List)) {
      i++;
    }
    return i;
  }
}
