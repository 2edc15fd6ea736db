package io.mutagent.internal.json;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.internal.DateTimes;
import io.mutagent.internal.text.SafeText;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads one value of a model property's type (or a response body's) from JSON, and keeps a value
 * that does not fit the type instead of failing: a wrong JSON type, a number out of range, an enum
 * that is not a string. Such a value comes back as a {@link Mismatch} holding it as it came and
 * its JSON path; a list or map with such an item comes back as one Mismatch holding the whole
 * list or map. A model read inside keeps its own mismatches, so a bad value deep in a response
 * fails only the getter of the model that holds it. Internal.
 *
 * <p>Every object read here, at any depth, is checked for a key that appears twice: such a body
 * is ambiguous (two readers of it may disagree on what it says), so it is refused whole with a
 * {@link MutagentInvalidDataException} naming the path.
 *
 * <p>Types are strict: a string where a number belongs (or the reverse) does not fit, where Gson's
 * own adapters convert it; a whole number written with a fraction ({@code 2.0}) fits an integer, as
 * in JSON Schema; an int64 may also come as decimal text ({@code "42"}), as OTLP/JSON and other JSON
 * for 64-bit integers write it. A JSON null is the caller's to handle (a model keeps it as a null), and so is a
 * null item of a list or map (kept as it came). A response is read strictly
 * ({@link ResponseJsonReader}); a lenient reader (Gson's {@code fromJson(String)} on a Gson with no
 * strictness set) reads a number beyond a double as an infinity, as Gson's own adapter does.
 *
 * <p>The happy path allocates what Gson's adapters do and nothing more: a value that fits is read
 * with one look at the next token; paths and copies are made only for a value that does not fit.
 */
public final class ValueReader {
  private static final int STRING = 0;
  private static final int INT = 1;
  private static final int LONG = 2;
  private static final int DOUBLE = 3;
  private static final int FLOAT = 4;
  private static final int DECIMAL = 5;
  private static final int BOOLEAN = 6;
  /** A date-time kept as its text: parsed by the model's getter. */
  private static final int DATE_TEXT = 7;
  /** A date-time parsed here (an item of a list or map). */
  private static final int DATE = 8;
  /** A value its own adapter reads from a JSON string: the open enums. */
  private static final int STRING_ADAPTER = 9;
  private static final int MODEL = 10;
  private static final int LIST = 11;
  private static final int MAP = 12;
  private static final int JSON = 13;
  /** Any other type: its own adapter reads it, and what it throws fails the read (no generated type is one). */
  private static final int OTHER = 14;

  /** Gson's reader of a JSON string, number or boolean (a number keeps its text). */
  private static final TypeAdapter<JsonElement> PRIMITIVE = new Gson().getAdapter(JsonElement.class);
  /** The most characters of a path a message shows. */
  private static final int MAX_PATH = 200;

  private final int kind;
  private final Type type;
  private final Gson gson;
  private final @Nullable TypeAdapter<Object> adapter;
  private final @Nullable ValueReader item;

  private ValueReader(int kind, Type type, Gson gson, @Nullable TypeAdapter<Object> adapter, @Nullable ValueReader item) {
    this.kind = kind;
    this.type = type;
    this.gson = gson;
    this.adapter = adapter;
    this.item = item;
  }

  /**
   * Returns the reader of a model property's type: a date-time kept as its text (for its getter to
   * parse), everything else as {@link #of}.
   */
  static ValueReader forProperty(Gson gson, Type type) {
    return type == OffsetDateTime.class ? new ValueReader(DATE_TEXT, type, gson, null, null) : of(gson, type);
  }

  /** Returns the reader of a value of this type, in a response body or inside a list or map. */
  @SuppressWarnings("unchecked")
  public static ValueReader of(Gson gson, Type type) {
    if (type instanceof ParameterizedType) {
      Type raw = ((ParameterizedType) type).getRawType();
      Type[] arguments = ((ParameterizedType) type).getActualTypeArguments();
      if (raw == List.class) {
        return new ValueReader(LIST, type, gson, null, of(gson, arguments[0]));
      }
      if (raw == Map.class && arguments[0] == String.class) {
        return new ValueReader(MAP, type, gson, null, of(gson, arguments[1]));
      }
      return new ValueReader(OTHER, type, gson, (TypeAdapter<Object>) gson.getAdapter(TypeToken.get(type)), null);
    }
    int kind = kindOf(type);
    TypeAdapter<Object> adapter = kind == STRING_ADAPTER || kind == MODEL || kind == OTHER
        ? (TypeAdapter<Object>) gson.getAdapter(TypeToken.get(type)) : null;
    return new ValueReader(kind, type, gson, adapter, null);
  }

  private static int kindOf(Type type) {
    if (type == String.class) {
      return STRING;
    } else if (type == Integer.class) {
      return INT;
    } else if (type == Long.class) {
      return LONG;
    } else if (type == Double.class) {
      return DOUBLE;
    } else if (type == Float.class) {
      return FLOAT;
    } else if (type == BigDecimal.class) {
      return DECIMAL;
    } else if (type == Boolean.class) {
      return BOOLEAN;
    } else if (type == OffsetDateTime.class) {
      return DATE;
    } else if (type == JsonElement.class) {
      return JSON;
    } else if (type instanceof Class && ModelSchema.of((Class<?>) type) != null) {
      return MODEL;
    } else if (type instanceof Class && ((Class<?>) type).isAnnotationPresent(com.google.gson.annotations.JsonAdapter.class)) {
      return STRING_ADAPTER; // a generated class that is not a model is an open enum, read from a string
    }
    return OTHER;
  }

  /**
   * Reads a value that is not a JSON null: the value, or a {@link Mismatch} when it does not fit.
   *
   * @throws MutagentInvalidDataException if an object in it has a key twice
   * @throws IOException if the JSON is malformed or cannot be read
   */
  Object read(JsonReader in) throws IOException {
    JsonToken token = in.peek();
    switch (kind) {
      case STRING:
      case DATE_TEXT:
        if (token == JsonToken.STRING) {
          return in.nextString();
        }
        break;
      case INT:
        if (token == JsonToken.NUMBER) {
          try {
            return in.nextInt();
          } catch (NumberFormatException e) {
            return number(in);
          }
        }
        break;
      case LONG:
        if (token == JsonToken.NUMBER) {
          try {
            return in.nextLong();
          } catch (NumberFormatException e) {
            return number(in);
          }
        } else if (token == JsonToken.STRING) {
          // JSON for 64-bit integers (OTLP/JSON, proto3's mapping) often writes them as decimal text.
          String path = in.getPath();
          String text = in.nextString();
          try {
            return Long.parseLong(text);
          } catch (NumberFormatException e) {
            return new Mismatch(safePath(in, path), "a string that is not an int64 where an int64 belongs",
                new JsonPrimitive(text));
          }
        }
        break;
      case DOUBLE:
        if (token == JsonToken.NUMBER) {
          try {
            return in.nextDouble();
          } catch (NumberFormatException | MalformedJsonException e) {
            return number(in);
          }
        }
        break;
      case FLOAT:
        if (token == JsonToken.NUMBER) {
          String path = in.getPath();
          String text = in.nextString();
          float value = Float.parseFloat(text);
          return Float.isInfinite(value) ? outOfRange(in, path, text) : (Object) value;
        }
        break;
      case DECIMAL:
        if (token == JsonToken.NUMBER) {
          return new BigDecimal(in.nextString());
        }
        break;
      case BOOLEAN:
        if (token == JsonToken.BOOLEAN) {
          return in.nextBoolean();
        }
        break;
      case DATE:
        if (token == JsonToken.STRING) {
          String path = in.getPath();
          String text = in.nextString();
          try {
            return DateTimes.parse(text);
          } catch (DateTimeException e) {
            return new Mismatch(safePath(in, path), "text that is not an ISO-8601 date-time with an offset",
                new JsonPrimitive(text));
          }
        }
        break;
      case STRING_ADAPTER:
        if (token == JsonToken.STRING) {
          return adapter().read(in);
        }
        break;
      case MODEL:
        if (token == JsonToken.BEGIN_OBJECT) {
          return adapter().read(in);
        }
        break;
      case LIST:
        if (token == JsonToken.BEGIN_ARRAY) {
          return list(in);
        }
        break;
      case MAP:
        if (token == JsonToken.BEGIN_OBJECT) {
          return map(in);
        }
        break;
      case JSON:
        return json(in);
      default:
        return adapter().read(in);
    }
    String path = in.getPath();
    return new Mismatch(safePath(in, path), a(token) + " where " + expected() + " belongs", json(in));
  }

  /**
   * Reads a response body's value, which is not a JSON null. A value inside that does not fit its
   * type is kept for its getter to fail on; the body itself has no getter, so when it does not fit
   * (an array where the spec promises an object, a list with such an item), the read fails.
   *
   * @param name the body's type, for the message
   * @throws MutagentInvalidDataException if the body's value does not fit, or an object in it has a
   *     key twice
   * @throws IOException if the JSON is malformed or cannot be read
   */
  public Object readBody(JsonReader in, String name) throws IOException {
    Object value = read(in);
    if (value instanceof Mismatch) {
      throw new MutagentInvalidDataException("the response is not the JSON " + name + " the API spec "
          + "describes: " + ((Mismatch) value).describe());
    }
    return value;
  }

  private TypeAdapter<Object> adapter() {
    TypeAdapter<Object> adapter = this.adapter;
    if (adapter == null) {
      throw new IllegalStateException("no adapter for " + type);
    }
    return adapter;
  }

  /**
   * Returns the mismatch for a number that {@code nextInt}, {@code nextLong} or {@code nextDouble}
   * refused: JsonReader leaves it there to be read as text.
   */
  private Mismatch number(JsonReader in) throws IOException {
    String path = in.getPath();
    return outOfRange(in, path, in.nextString());
  }

  /** Returns the mismatch for a number (its text) that does not fit this reader's number type. */
  private Mismatch outOfRange(JsonReader in, String path, String text) {
    String problem = "a number out of the range of " + expected();
    if (kind == INT || kind == LONG) {
      try {
        if (new BigDecimal(text).stripTrailingZeros().scale() > 0) {
          problem = "a number with a fraction where " + expected() + " belongs";
        }
      } catch (NumberFormatException e) {
        // not a decimal number at all: JsonReader's NUMBER tokens always are
      }
    }
    return new Mismatch(safePath(in, path), problem, JsonParser.parseString(text));
  }

  private String expected() {
    switch (kind) {
      case STRING:
        return "a string";
      case INT:
        return "an int32";
      case LONG:
        return "an int64";
      case DOUBLE:
        return "a double";
      case FLOAT:
        return "a float";
      case DECIMAL:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case DATE_TEXT:
      case DATE:
        return "a date-time string";
      case STRING_ADAPTER:
        return "a string (" + ((Class<?>) type).getSimpleName() + ")";
      case MODEL:
        return "an object (" + ((Class<?>) type).getSimpleName() + ")";
      case LIST:
        return "an array";
      default:
        return "an object";
    }
  }

  private static String a(JsonToken token) {
    switch (token) {
      case BEGIN_ARRAY:
        return "an array";
      case BEGIN_OBJECT:
        return "an object";
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      default:
        return token.toString();
    }
  }

  private Object list(JsonReader in) throws IOException {
    ValueReader item = item();
    List<@Nullable Object> list = new ArrayList<>();
    Mismatch first = null;
    in.beginArray();
    while (in.hasNext()) {
      Object value;
      if (in.peek() == JsonToken.NULL) {
        in.nextNull();
        value = null;
      } else {
        value = item.read(in);
        if (value instanceof Mismatch && first == null) {
          first = (Mismatch) value;
        }
      }
      list.add(value);
    }
    in.endArray();
    if (first == null) {
      return Collections.unmodifiableList(list);
    }
    JsonArray whole = new JsonArray(list.size());
    for (Object value : list) {
      whole.add(item.toJson(value));
    }
    return first.within(whole);
  }

  private Object map(JsonReader in) throws IOException {
    ValueReader item = item();
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    Mismatch first = null;
    in.beginObject();
    while (in.hasNext()) {
      String name = in.nextName();
      Object value;
      if (in.peek() == JsonToken.NULL) {
        in.nextNull();
        value = null;
      } else {
        value = item.read(in);
        if (value instanceof Mismatch && first == null) {
          first = (Mismatch) value;
        }
      }
      int size = map.size();
      map.put(name, value);
      if (map.size() == size) {
        throw duplicate(in, name);
      }
    }
    in.endObject();
    if (first == null) {
      return Collections.unmodifiableMap(map);
    }
    JsonObject whole = new JsonObject();
    map.forEach((name, value) -> whole.add(name, item.toJson(value)));
    return first.within(whole);
  }

  private ValueReader item() {
    ValueReader item = this.item;
    if (item == null) {
      throw new IllegalStateException("no item reader for " + type);
    }
    return item;
  }

  /** Returns a value read by this reader as JSON again (for a list or map that did not fit whole). */
  private JsonElement toJson(@Nullable Object value) {
    if (value == null) {
      return JsonNull.INSTANCE;
    }
    if (value instanceof Mismatch) {
      return ((Mismatch) value).rawForWriting();
    }
    if (value instanceof JsonElement) {
      return (JsonElement) value;
    }
    if (value instanceof OffsetDateTime) {
      return new JsonPrimitive(DateTimes.format((OffsetDateTime) value));
    }
    if (item != null) {
      return value instanceof List ? listJson((List<?>) value) : mapJson((Map<?, ?>) value);
    }
    return gson.toJsonTree(value, type);
  }

  private JsonElement listJson(List<?> list) {
    JsonArray array = new JsonArray(list.size());
    for (Object value : list) {
      array.add(item().toJson(value));
    }
    return array;
  }

  private JsonElement mapJson(Map<?, ?> map) {
    JsonObject object = new JsonObject();
    map.forEach((name, value) -> object.add((String) name, item().toJson(value)));
    return object;
  }

  /**
   * Reads any JSON value as Gson's {@code JsonElement}, refusing an object with a key twice (Gson's
   * own reader keeps the last). Recursive: the reader's nesting limit bounds the depth.
   *
   * @throws MutagentInvalidDataException if an object in it has a key twice
   */
  static JsonElement json(JsonReader in) throws IOException {
    switch (in.peek()) {
      case BEGIN_OBJECT:
        JsonObject object = new JsonObject();
        in.beginObject();
        while (in.hasNext()) {
          String name = in.nextName();
          JsonElement value = json(in);
          int size = object.size();
          object.add(name, value);
          if (object.size() == size) {
            throw duplicate(in, name);
          }
        }
        in.endObject();
        return object;
      case BEGIN_ARRAY:
        JsonArray array = new JsonArray();
        in.beginArray();
        while (in.hasNext()) {
          array.add(json(in));
        }
        in.endArray();
        return array;
      case NULL:
        in.nextNull();
        return JsonNull.INSTANCE;
      default:
        return PRIMITIVE.read(in);
    }
  }

  /**
   * Returns the failure for a key that appears twice in one object: the whole body is refused.
   * Call it once the key's second name (or value) is read, so the path ends with the key.
   */
  static MutagentInvalidDataException duplicate(JsonReader in, String name) {
    return new MutagentInvalidDataException("the JSON has the key \"" + SafeText.of(name, 100, secrets(in))
        + "\" twice in one object (at " + safePath(in, in.getPath()) + "): a body with a duplicate key is "
        + "ambiguous, so it is refused");
  }

  /**
   * Returns a path made safe for a message: a map key in it is server text, so credentials the
   * client knows are masked, control characters escaped and the length capped.
   */
  static String safePath(JsonReader in, String path) {
    return SafeText.of(path, MAX_PATH, secrets(in));
  }

  private static Collection<String> secrets(JsonReader in) {
    return in instanceof ResponseJsonReader ? ((ResponseJsonReader) in).secrets() : List.of();
  }
}
