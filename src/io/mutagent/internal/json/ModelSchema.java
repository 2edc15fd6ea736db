package io.mutagent.internal.json;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import com.google.gson.reflect.TypeToken;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.internal.DateTimes;
import io.mutagent.internal.Json;
import io.mutagent.internal.text.SafeText;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a generated model declares about its properties, and the one implementation of what every
 * model does with them: getters, builders, equality, {@code toString()} and JSON (through
 * {@link ModelJson}). Internal: called by generated code only.
 *
 * <p>A model and its builder keep their state in one array of <em>slots</em>. Slot 0 holds the
 * properties the spec does not know (a map; in a built model an unmodifiable one). Slot {@code i}
 * holds the {@code i}-th property the spec declares, in one of three states: {@code null} when
 * the property is left out, {@link #NULL} when it is an explicit JSON null, or its value. So a
 * PATCH sends a null only when asked to, and what the server sent is written back as it came.
 *
 * <p>A date-time property read from JSON holds its text: it is parsed when its getter is called,
 * so a bad date fails that getter only (as a missing required property does), and a model that is
 * read and written back keeps the text exactly. Likewise a value that does not fit its property's
 * type (a {@link Mismatch}, see {@link ValueReader}) sits in the slot in place of a value: its
 * getter fails naming its path, {@link #rawJson} gives it as it came, and it is written back so.
 */
public final class ModelSchema<M> {
  /** The property is optional: no flag. */
  public static final int OPTIONAL = 0;
  /** The property is required by the spec. */
  public static final int REQUIRED = 1;
  /** The property may be an explicit JSON null. */
  public static final int NULLABLE = 2;
  /** The spec marks the property secret: {@code toString()} shows only whether it is set. */
  public static final int SECRET = 4;

  /** The slot value of a property that is an explicit JSON null. */
  public static final Object NULL = new Object();

  private static final Map<Class<?>, ModelSchema<?>> SCHEMAS = new ConcurrentHashMap<>();
  private static final int MAX_TEXT = 80;

  private final String model;
  private final Function<@Nullable Object[], M> create;
  private final Function<M, @Nullable Object[]> slots;
  // Index 0 is unused, so that property i sits at index i, as in the slots.
  private final List<String> jsonNames = new ArrayList<>(List.of(""));
  private final List<String> javaNames = new ArrayList<>(List.of(""));
  private final List<Type> types = new ArrayList<>(List.<Type>of(Object.class));
  private final List<Integer> flags = new ArrayList<>(List.of(0));
  /** Per slot, from its type: whether it holds JSON values, which a getter must copy. */
  private final List<Boolean> holdsJson = new ArrayList<>(List.of(false));
  private final Map<String, Integer> index = new HashMap<>();

  /**
   * Starts the schema of a model class; the class declares its properties with
   * {@link #property} in its static initializer, in slot order.
   *
   * @param type the model class
   * @param model the model's name, for messages
   * @param create makes a model from its slots (the model's private constructor)
   * @param slots gives a model's slots
   */
  public ModelSchema(
      Class<M> type, String model, Function<@Nullable Object[], M> create, Function<M, @Nullable Object[]> slots) {
    this.model = model;
    this.create = create;
    this.slots = slots;
    SCHEMAS.put(type, this);
  }

  /**
   * Declares the next property; its slot is the number of properties declared so far.
   *
   * @param jsonName the name on the wire
   * @param javaName the name of its getter and setter
   * @param type its Java type ({@link #listOf}, {@link #mapOf} for generic ones)
   * @param flags {@link #REQUIRED}, {@link #NULLABLE} and {@link #SECRET}, or-ed
   * @return this schema
   */
  public ModelSchema<M> property(String jsonName, String javaName, Type type, int flags) {
    index.put(jsonName, jsonNames.size());
    jsonNames.add(jsonName);
    javaNames.add(javaName);
    types.add(type);
    this.flags.add(flags);
    holdsJson.add(holdsJson(type));
    return this;
  }

  /** Whether a value of this type may hold Gson's JSON values, at any depth. */
  private static boolean holdsJson(Type type) {
    if (type instanceof Class) {
      Class<?> raw = (Class<?>) type;
      return JsonElement.class.isAssignableFrom(raw) || raw == Object.class;
    }
    if (type instanceof ParameterizedType) {
      for (Type argument : ((ParameterizedType) type).getActualTypeArguments()) {
        if (holdsJson(argument)) {
          return true;
        }
      }
      return false;
    }
    return true; // a wildcard or type variable: copy to be safe (the generator makes none)
  }

  /** Returns {@code List<item>}. */
  public static Type listOf(Type item) {
    return TypeToken.getParameterized(List.class, item).getType();
  }

  /** Returns {@code Map<String, value>}. */
  public static Type mapOf(Type value) {
    return TypeToken.getParameterized(Map.class, String.class, value).getType();
  }

  /**
   * Returns the schema of a model class, or null when the class is not a generated model. The
   * class is initialized first: its schema is registered by the first line of its initializer and
   * completed by the rest, so a thread must not read it before the initializer has finished
   * (class initialization makes other threads wait for that). Called once per Gson and model.
   */
  static @Nullable ModelSchema<?> of(Class<?> type) {
    try {
      Class.forName(type.getName(), true, type.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
    return SCHEMAS.get(type);
  }

  /**
   * Returns the schema of a model's class when that class is a generated model, else null: a map
   * lookup, for a value in hand (its class is initialized, so its schema is complete).
   */
  static @Nullable ModelSchema<?> ofInstance(Object value) {
    return SCHEMAS.get(value.getClass());
  }

  int size() {
    return jsonNames.size();
  }

  String jsonName(int slot) {
    return jsonNames.get(slot);
  }

  Type type(int slot) {
    return types.get(slot);
  }

  boolean isDate(int slot) {
    return types.get(slot) == OffsetDateTime.class;
  }

  /** Returns the slot of a JSON property name, or -1 when the spec does not know it. */
  int slotOf(String jsonName) {
    Integer slot = index.get(jsonName);
    return slot == null ? -1 : slot;
  }

  /** Makes a model from slots the caller gives up. */
  M create(@Nullable Object[] slots) {
    return create.apply(slots);
  }

  /** Returns a model's slots, to read, never to change. */
  @Nullable Object[] slots(M model) {
    return slots.apply(model);
  }

  // --- Builders ----------------------------------------------------------------------------------

  /** Returns the slots of a new, empty builder. */
  public @Nullable Object[] newSlots() {
    @Nullable Object[] slots = new Object[size()];
    slots[0] = new LinkedHashMap<String, JsonElement>();
    return slots;
  }

  /** Returns the slots of a builder that starts from a model's. */
  public @Nullable Object[] toBuilderSlots(@Nullable Object[] model) {
    @Nullable Object[] slots = model.clone();
    slots[0] = new LinkedHashMap<>(additional(model));
    return slots;
  }

  /**
   * Adds an unknown property to a builder's slots.
   *
   * @throws IllegalArgumentException if the name is null or one the spec knows
   */
  public void putAdditional(@Nullable Object[] slots, @Nullable String name, @Nullable JsonElement value) {
    if (name == null) {
      throw new IllegalArgumentException("additional property name must not be null");
    }
    if (index.containsKey(name)) {
      throw new IllegalArgumentException(name + " is a known property of " + model + ": set it "
          + "with its own builder method");
    }
    additional(slots).put(name, value == null ? JsonNull.INSTANCE : value.deepCopy());
  }

  /** Removes an unknown property from a builder's slots. */
  public static void removeAdditional(@Nullable Object[] slots, String name) {
    additional(slots).remove(name);
  }

  /**
   * Returns the slots of a new model made from a builder's: required properties checked, lists,
   * maps and JSON values copied deeply and made unmodifiable, so the builder can go on changing.
   *
   * @throws IllegalStateException naming every required property that is not set
   */
  public @Nullable Object[] build(@Nullable Object[] builder) {
    StringJoiner missing = new StringJoiner(", ");
    int count = 0;
    for (int i = 1; i < builder.length; i++) {
      int flag = flags.get(i);
      boolean unset = (flag & NULLABLE) != 0 ? builder[i] == null : builder[i] == null || builder[i] == NULL;
      if ((flag & REQUIRED) != 0 && unset) {
        missing.add(javaNames.get(i));
        count++;
      }
    }
    if (count > 0) {
      throw new IllegalStateException(model + " is missing required field" + (count > 1 ? "s " : " ")
          + missing + ": set " + (count > 1 ? "them" : "it") + " on " + model + ".builder() before build()");
    }
    @Nullable Object[] slots = new Object[builder.length];
    Map<String, JsonElement> additional = additional(builder);
    slots[0] = additional.isEmpty() ? Collections.emptyMap() : copy(additional);
    for (int i = 1; i < builder.length; i++) {
      Object value = builder[i];
      slots[i] = value == null || value == NULL ? value : copy(value);
    }
    return slots;
  }

  // --- Getters -----------------------------------------------------------------------------------

  /**
   * Returns a required property's value, as a getter hands it out (see {@link #readOnly}).
   *
   * @throws MutagentInvalidDataException if the server left it out, sent null or sent a value that
   *     does not fit its type
   */
  public <T> T required(@Nullable Object[] slots, int slot) {
    Object value = slots[slot];
    if (value == null || value == NULL) {
      throw new MutagentInvalidDataException(model + "." + jsonNames.get(slot) + " is required by "
          + "the API spec but the server's response " + (value == null ? "left it out" : "had null")
          + "; the rest of the object is still readable");
    }
    return readOnly(slot, fitting(slot, value));
  }

  /**
   * Returns a required date-time property's value.
   *
   * @throws MutagentInvalidDataException if the server left it out, sent null or sent a value that
   *     is not a date-time string with an offset
   */
  public OffsetDateTime requiredDate(@Nullable Object[] slots, int slot) {
    return date(slot, this.<Object>required(slots, slot));
  }

  /**
   * Returns an optional date-time property's value; empty when it is null or left out.
   *
   * @throws MutagentInvalidDataException if the server sent a value that is not a date-time string
   *     with an offset
   */
  public Optional<OffsetDateTime> optionalDate(@Nullable Object[] slots, int slot) {
    Object value = present(slots, slot);
    return value == null ? Optional.empty() : Optional.of(date(slot, value));
  }

  private OffsetDateTime date(int slot, Object value) {
    if (value instanceof OffsetDateTime) {
      return (OffsetDateTime) value;
    }
    try {
      return DateTimes.parse((String) value);
    } catch (DateTimeException e) {
      // The text itself stays out of the message: a server may echo anything into a field.
      throw new MutagentInvalidDataException(model + "." + jsonNames.get(slot) + " is not an ISO-8601 "
          + "date-time with an offset (" + e.getMessage() + "); the rest of the object is still readable");
    }
  }

  /**
   * Returns an optional property's value (see {@link #readOnly}); empty when null or left out.
   *
   * @throws MutagentInvalidDataException if the server sent a value that does not fit its type
   */
  public <T> Optional<T> optional(@Nullable Object[] slots, int slot) {
    Object value = present(slots, slot);
    return value == null ? Optional.empty() : Optional.of(readOnly(slot, value));
  }

  /**
   * Returns an optional int32 property's value; empty when null or left out.
   *
   * @throws MutagentInvalidDataException if the server sent a value that is not an int32
   */
  public OptionalInt optionalInt(@Nullable Object[] slots, int slot) {
    Object value = present(slots, slot);
    return value == null ? OptionalInt.empty() : OptionalInt.of((Integer) value);
  }

  /**
   * Returns an optional int64 property's value; empty when null or left out.
   *
   * @throws MutagentInvalidDataException if the server sent a value that is not an int64
   */
  public OptionalLong optionalLong(@Nullable Object[] slots, int slot) {
    Object value = present(slots, slot);
    return value == null ? OptionalLong.empty() : OptionalLong.of((Long) value);
  }

  /**
   * Returns an optional decimal property's value; empty when null or left out.
   *
   * @throws MutagentInvalidDataException if the server sent a value that is not a number
   */
  public OptionalDouble optionalDouble(@Nullable Object[] slots, int slot) {
    Object value = present(slots, slot);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(((Number) value).doubleValue());
  }

  /**
   * Returns a slot's value as it is kept, or null when it is null or left out.
   *
   * @throws MutagentInvalidDataException if the server sent a value that does not fit its type
   */
  private @Nullable Object present(@Nullable Object[] slots, int slot) {
    Object value = slots[slot];
    return value == null || value == NULL ? null : fitting(slot, value);
  }

  /**
   * Returns a slot's value that is set.
   *
   * @throws MutagentInvalidDataException naming the property and the path if the server sent a
   *     value that does not fit the property's type
   */
  private Object fitting(int slot, Object value) {
    if (value instanceof Mismatch) {
      throw ((Mismatch) value).failure(model, jsonNames.get(slot));
    }
    return value;
  }

  /**
   * Returns a property as JSON: for a value that does not fit its type, the value as the server
   * sent it; for any other, the value as this model writes it; a JSON null for an explicit null;
   * empty when the property is left out. Always a copy.
   *
   * @param jsonName the property's name in JSON
   * @throws IllegalArgumentException if the model declares no property of that name (unknown
   *     properties are in additionalProperties())
   */
  public Optional<JsonElement> rawJson(@Nullable Object[] slots, @Nullable String jsonName) {
    Integer slot = jsonName == null ? null : index.get(jsonName);
    if (slot == null) {
      throw new IllegalArgumentException(model + " has no property named " + jsonName + "; a property the "
          + "spec does not know is in additionalProperties()");
    }
    Object value = slots[slot];
    if (value == null) {
      return Optional.empty();
    }
    if (value == NULL) {
      return Optional.of(JsonNull.INSTANCE);
    }
    if (value instanceof Mismatch) {
      return Optional.of(((Mismatch) value).raw());
    }
    if (isDate(slot)) {
      return Optional.of(new JsonPrimitive(value instanceof String ? (String) value : DateTimes.format((OffsetDateTime) value)));
    }
    return Optional.of(Json.gson().toJsonTree(value, types.get(slot)));
  }

  /**
   * Returns the unknown properties as a getter hands them out: an unmodifiable deep copy, in the
   * order they came.
   */
  public static Map<String, JsonElement> additionalProperties(@Nullable Object[] slots) {
    Map<String, JsonElement> additional = additional(slots);
    return additional.isEmpty() ? Collections.emptyMap() : copy(additional);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, JsonElement> additional(@Nullable Object[] slots) {
    return (Map<String, JsonElement>) Objects.requireNonNull(slots[0]);
  }

  // --- Object methods ----------------------------------------------------------------------------

  /**
   * Returns whether two models' slots are equal; a date-time read as text equals the same
   * {@code OffsetDateTime} built (the same local time and offset, as OffsetDateTime.equals says).
   */
  public boolean equal(@Nullable Object[] a, @Nullable Object[] b) {
    for (int i = 0; i < a.length; i++) {
      if (!Objects.equals(comparable(i, a[i]), comparable(i, b[i]))) {
        return false;
      }
    }
    return true;
  }

  /** Returns a hash code consistent with {@link #equal}. */
  public int hash(@Nullable Object[] slots) {
    int hash = 1;
    for (int i = 0; i < slots.length; i++) {
      hash = 31 * hash + Objects.hashCode(comparable(i, slots[i]));
    }
    return hash;
  }

  private @Nullable Object comparable(int slot, @Nullable Object value) {
    if (value instanceof String && isDate(slot)) {
      try {
        return DateTimes.parse((String) value);
      } catch (DateTimeException e) {
        return value;
      }
    }
    return value;
  }

  /**
   * Returns a model's {@code toString()}: the properties that are set, by their Java names;
   * a secret one shows only whether it is set; unknown properties by name only (their values may
   * be secret). See {@link #summary} for how values print.
   */
  public String toString(@Nullable Object[] slots) {
    StringJoiner text = new StringJoiner(", ", model + "{", "}");
    for (int i = 1; i < slots.length; i++) {
      Object value = slots[i];
      if (value != null) {
        String shown = value == NULL ? "null" : (flags.get(i) & SECRET) != 0 ? "[redacted]" : summary(value);
        text.add(javaNames.get(i) + "=" + shown);
      }
    }
    Map<String, JsonElement> additional = additional(slots);
    if (!additional.isEmpty()) {
      text.add("additionalProperties=" + additional.keySet());
    }
    return text.toString();
  }

  /**
   * The one rule of every model's {@code toString()}, so that it fits in a log line: a list
   * prints its size ({@code [3 items]}), a map or free-form JSON object its size
   * ({@code {2 entries}}), text longer than 80 characters its start (control characters escaped);
   * numbers, booleans, enums, dates and nested models print as they are (a nested model by the
   * same rule).
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
      return SafeText.of((String) value, MAX_TEXT, List.of());
    }
    return String.valueOf(value);
  }

  // --- Copies ------------------------------------------------------------------------------------

  /**
   * Returns a slot's value as a getter hands it out. Models are immutable, and so is what they
   * hold, except Gson's JSON values (a {@code JsonElement} has no read-only form): a property whose
   * type holds them, alone or in a list or map, is handed out as a deep copy. Which properties do
   * is known from their types, so any other getter returns its value as it is.
   */
  @SuppressWarnings("unchecked")
  private <T> T readOnly(int slot, Object value) {
    return (T) (holdsJson.get(slot) ? copy(value) : value);
  }

  /** Returns a deep, unmodifiable copy of a list, map or JSON value; anything else as it is. */
  @SuppressWarnings("unchecked")
  private static <T> T copy(T value) {
    if (value instanceof JsonElement) {
      return (T) ((JsonElement) value).deepCopy();
    }
    if (value instanceof List) {
      List<Object> copy = new ArrayList<>(((List<?>) value).size());
      for (Object item : (List<?>) value) {
        copy.add(copy(item));
      }
      return (T) Collections.unmodifiableList(copy);
    }
    if (value instanceof Map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      ((Map<?, ?>) value).forEach((key, item) -> copy.put(key, copy(item)));
      return (T) Collections.unmodifiableMap(copy);
    }
    return value;
  }
}
