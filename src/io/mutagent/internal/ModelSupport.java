package io.mutagent.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.mutagent.errors.MutagentInvalidDataException;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What every generated model shares: reading and writing a {@link JsonField}, keeping unknown
 * properties, copying collections, and the messages for missing required fields. Internal: called
 * by generated code only.
 */
public final class ModelSupport {
  /** ISO-8601 date-times with an offset, both ways ({@code 2026-11-02T09:14:00Z}). */
  public static final TypeAdapter<OffsetDateTime> DATE_TIME = new DateTimeAdapter().nullSafe();

  private ModelSupport() {}

  /** Reads the current value as a field: JSON null becomes {@link JsonField#ofNull()}. */
  public static <T> JsonField<T> read(JsonReader in, TypeAdapter<T> adapter) throws IOException {
    if (in.peek() == JsonToken.NULL) {
      in.nextNull();
      return JsonField.ofNull();
    }
    return JsonField.of(adapter.read(in));
  }

  /** Writes a field: a missing one is left out, a null one is written as {@code null}. */
  public static <T> void write(JsonWriter out, String name, JsonField<T> field, TypeAdapter<T> adapter)
      throws IOException {
    if (field.isMissing()) {
      return;
    }
    out.name(name);
    if (field.isNull()) {
      out.nullValue();
    } else {
      adapter.write(out, field.orNull());
    }
  }

  /** Writes the properties the spec does not know, after the known ones, as they were read. */
  public static void writeAdditional(
      JsonWriter out, Map<String, JsonElement> additional, TypeAdapter<JsonElement> adapter)
      throws IOException {
    for (Map.Entry<String, JsonElement> entry : additional.entrySet()) {
      out.name(entry.getKey());
      adapter.write(out, entry.getValue());
    }
  }

  /**
   * Starts writing a model object with nulls kept: a field holding an explicit null must reach the
   * wire even when the writer drops nulls. Returns the writer's previous setting for {@link #end}.
   */
  public static boolean begin(JsonWriter out) throws IOException {
    boolean serializeNulls = out.getSerializeNulls();
    out.setSerializeNulls(true);
    out.beginObject();
    return serializeNulls;
  }

  /** Ends a model object and restores the writer's null setting. */
  public static void end(JsonWriter out, boolean serializeNulls) throws IOException {
    out.endObject();
    out.setSerializeNulls(serializeNulls);
  }

  /**
   * Returns an unmodifiable deep copy of a list field's value, keeping missing and null as they
   * are: nested lists and maps are copied and made unmodifiable, JSON values copied.
   */
  public static <T> JsonField<List<T>> copyList(JsonField<List<T>> field) {
    List<T> list = field.orNull();
    return list == null ? field : JsonField.of(deepCopy(list));
  }

  /** Returns an unmodifiable deep copy of a map field's value; see {@link #copyList}. */
  public static <V> JsonField<Map<String, V>> copyMap(JsonField<Map<String, V>> field) {
    Map<String, V> map = field.orNull();
    return map == null ? field : JsonField.of(deepCopy(map));
  }

  /** Returns a JSON field's value copied, so that changing it cannot change the model. */
  public static JsonField<JsonElement> copyJson(JsonField<JsonElement> field) {
    JsonElement json = field.orNull();
    return json == null ? field : JsonField.of(json.deepCopy());
  }

  /**
   * Returns a value as a getter hands it out. Models are immutable, and so is what they hold,
   * except Gson's JSON values (a {@code JsonElement} has no read-only form): those, alone or in a
   * list or map, are handed out as copies. Anything else is returned as it is, at the cost of a
   * type check.
   */
  @SuppressWarnings("unchecked")
  public static <T> T readOnly(T value) {
    if (value instanceof JsonElement) {
      return (T) ((JsonElement) value).deepCopy();
    }
    if (value instanceof List && holdsJson(value)) {
      return (T) deepCopy((List<?>) value);
    }
    if (value instanceof Map && holdsJson(value)) {
      return (T) deepCopy((Map<?, ?>) value);
    }
    return value;
  }

  /**
   * Whether a list or map holds JSON values, at any depth. A model's lists and maps are typed, so
   * their items are all of one kind: the first item that is not an empty list or map decides, and
   * a getter of a list of models or strings pays one type check, not a walk of the list.
   */
  private static boolean holdsJson(Object value) {
    Iterable<?> items = value instanceof Map ? ((Map<?, ?>) value).values() : (List<?>) value;
    for (Object item : items) {
      if (item instanceof JsonElement) {
        return true;
      }
      if (!(item instanceof List || item instanceof Map)) {
        return false;
      }
      boolean empty = item instanceof List ? ((List<?>) item).isEmpty() : ((Map<?, ?>) item).isEmpty();
      if (!empty) {
        return holdsJson(item);
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> deepCopy(List<T> list) {
    List<T> copy = new ArrayList<>(list.size());
    for (T item : list) {
      copy.add((T) copyItem(item));
    }
    return Collections.unmodifiableList(copy);
  }

  @SuppressWarnings("unchecked")
  private static <K, V> Map<K, V> deepCopy(Map<K, V> map) {
    Map<K, V> copy = new LinkedHashMap<>();
    map.forEach((key, item) -> copy.put(key, (V) copyItem(item)));
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyItem(Object item) {
    if (item instanceof JsonElement) {
      return ((JsonElement) item).deepCopy();
    }
    if (item instanceof List) {
      return deepCopy((List<?>) item);
    }
    if (item instanceof Map) {
      return deepCopy((Map<?, ?>) item);
    }
    return item;
  }

  /** Returns an unmodifiable, order-keeping deep copy of the unknown properties. */
  public static Map<String, JsonElement> copyAdditional(Map<String, JsonElement> additional) {
    if (additional.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, JsonElement> copy = new LinkedHashMap<>();
    additional.forEach((name, value) -> copy.put(name, value.deepCopy()));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * Returns the value of a field the spec marks required.
   *
   * @throws MutagentInvalidDataException if the server left it out or sent null
   */
  public static <T> T required(JsonField<T> field, String model, String name) {
    T value = field.orNull();
    if (value == null) {
      throw new MutagentInvalidDataException(
          model + "." + name + " is required by the API spec but the server's response "
              + (field.isNull() ? "had null" : "left it out")
              + "; the rest of the object is still readable");
    }
    return value;
  }

  /** Collects the names of required fields that are still unset, and fails naming them all. */
  public static final class Missing {
    private final String model;
    private final StringJoiner names = new StringJoiner(", ");
    private int count;

    /** Starts a check for the named model. */
    public Missing(String model) {
      this.model = model;
    }

    /** Notes the field as missing when it is left out (null is allowed: the field is nullable). */
    public Missing checkPresent(JsonField<?> field, String name) {
      if (field.isMissing()) {
        names.add(name);
        count++;
      }
      return this;
    }

    /** Notes the field as missing when it has no value. */
    public Missing check(JsonField<?> field, String name) {
      if (field.orNull() == null) {
        names.add(name);
        count++;
      }
      return this;
    }

    /**
     * Throws when a required field has no value.
     *
     * @throws IllegalStateException naming the model and every missing field
     */
    public void throwIfAny() {
      if (count > 0) {
        throw new IllegalStateException(
            model + " is missing required field" + (count > 1 ? "s " : " ") + names
                + ": set " + (count > 1 ? "them" : "it") + " on " + model + ".builder() before build()");
      }
    }
  }

  /** Builds a model's {@code toString()}: fields that are set, secrets redacted. */
  public static final class Text {
    private final StringBuilder text;
    private boolean first = true;

    /** Starts the text for the named model. */
    public Text(String model) {
      text = new StringBuilder(model).append('{');
    }

    /** Adds a field unless it is missing, summarised by {@link #summary}. */
    public Text add(String name, JsonField<?> field) {
      if (!field.isMissing()) {
        Object value = field.orNull();
        separate().append(name).append('=').append(value == null ? "null" : summary(value));
      }
      return this;
    }

    /**
     * The one rule of every model's {@code toString()}, so that it fits in a log line: a list
     * prints its size ({@code [3 items]}), a map or free-form JSON object its size
     * ({@code {2 entries}}), text longer than 80 characters its start (control characters
     * escaped); numbers,
     * booleans, enums, dates and nested models print as they are (a nested model by the same
     * rule).
     */
    static String summary(Object value) {
      if (value instanceof List) {
        int n = ((List<?>) value).size();
        return "[" + n + (n == 1 ? " item]" : " items]");
      }
      if (value instanceof Map) {
        int n = ((Map<?, ?>) value).size();
        return "{" + n + (n == 1 ? " entry}" : " entries}");
      }
      if (value instanceof JsonElement) {
        JsonElement json = (JsonElement) value;
        if (json.isJsonArray()) {
          return summary(json.getAsJsonArray().asList());
        }
        if (json.isJsonObject()) {
          return summary(json.getAsJsonObject().asMap());
        }
        return json.isJsonPrimitive() && json.getAsJsonPrimitive().isString()
            ? summary(json.getAsString()) : String.valueOf(json);
      }
      if (value instanceof String) {
        // Text may come from a server: control characters are escaped, so a line cannot be forged.
        return io.mutagent.internal.text.SafeText.of((String) value, MAX_TEXT, java.util.List.of());
      }
      return String.valueOf(value);
    }

    private static final int MAX_TEXT = 80;

    /** Adds a secret field: only whether it is set shows. */
    public Text secret(String name, JsonField<?> field) {
      if (!field.isMissing()) {
        separate().append(name).append('=').append(field.isNull() ? "null" : "[redacted]");
      }
      return this;
    }

    /** Adds the names of unknown properties (not their values, which may be secret). */
    public Text additional(Map<String, JsonElement> additional) {
      if (!additional.isEmpty()) {
        separate().append("additionalProperties=").append(additional.keySet());
      }
      return this;
    }

    private StringBuilder separate() {
      if (!first) {
        text.append(", ");
      }
      first = false;
      return text;
    }

    @Override
    public String toString() {
      return text + "}";
    }
  }

  private static final class DateTimeAdapter extends TypeAdapter<OffsetDateTime> {
    /** Strict ISO-8601, so a value read from JSON is written back as servers commonly send it. */
    @Override
    public void write(JsonWriter out, OffsetDateTime value) throws IOException {
      out.value(DateTimes.format(value));
    }

    /** Lenient where unambiguous (see {@link DateTimes#parse}). */
    @Override
    public OffsetDateTime read(JsonReader in) throws IOException {
      String path = in.getPath();
      String text = in.nextString();
      try {
        return DateTimes.parse(text);
      } catch (java.time.DateTimeException e) {
        throw new JsonParseException("the value at " + path + " is not an ISO-8601 date-time with an "
            + "offset (" + e.getMessage() + ")", e);
      }
    }
  }
}
