package io.mutagent.internal.json;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.mutagent.internal.DateTimes;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Gson adapter of every generated model: each model names this class in its
 * {@code @JsonAdapter}, and it reads and writes the model's slots as its {@link ModelSchema}
 * declares them. It works with any {@code Gson}, a plain {@code new Gson()} too, and needs no
 * reflection over the model's fields. Internal.
 *
 * <p>Reading keeps a property's three states (left out, null, value), keeps unknown properties in
 * order, and keeps a date-time's text as it came (it is parsed by its getter). A value that does
 * not fit its property's type is kept as it came, with its path, for that property's getter to
 * fail on; a key that appears twice in an object fails the whole read (see {@link ValueReader}).
 * Writing leaves out what was left out, writes an explicit null as {@code null}, whatever the
 * writer's null setting, and a value that did not fit as it came.
 */
public final class ModelJson implements TypeAdapterFactory {
  /** ISO-8601 date-times with an offset, both ways, for date-times outside a model. */
  public static final TypeAdapter<OffsetDateTime> DATE_TIME = new DateTimeAdapter().nullSafe();

  /** Gson creates one through {@code @JsonAdapter}. */
  public ModelJson() {}

  @Override
  @SuppressWarnings("unchecked")
  public <T> @Nullable TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
    ModelSchema<?> schema = ModelSchema.of(type.getRawType());
    return schema == null ? null : (TypeAdapter<T>) adapter(schema, gson).nullSafe();
  }

  private static <M> TypeAdapter<M> adapter(ModelSchema<M> schema, Gson gson) {
    return new Adapter<>(schema, gson);
  }

  private static final class Adapter<M> extends TypeAdapter<M> {
    private final ModelSchema<M> schema;
    /** By slot, to write; null for slot 0 and for date-times, which are written as text. */
    private final @Nullable TypeAdapter<Object>[] adapters;
    /** By slot, to read; null for slot 0. */
    private final ValueReader[] readers;
    private final TypeAdapter<JsonElement> json;

    @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array is made from its raw type
    Adapter(ModelSchema<M> schema, Gson gson) {
      this.schema = schema;
      this.adapters = new TypeAdapter[schema.size()];
      this.readers = new ValueReader[schema.size()];
      for (int slot = 1; slot < adapters.length; slot++) {
        if (!schema.isDate(slot)) {
          adapters[slot] = (TypeAdapter<Object>) gson.getAdapter(TypeToken.get(schema.type(slot)));
        }
        readers[slot] = ValueReader.forProperty(gson, schema.type(slot));
      }
      this.json = gson.getAdapter(JsonElement.class);
    }

    @Override
    public void write(JsonWriter out, M model) throws IOException {
      @Nullable Object[] slots = schema.slots(model);
      // An explicit null must reach the wire even when the writer drops nulls.
      boolean serializeNulls = out.getSerializeNulls();
      out.setSerializeNulls(true);
      out.beginObject();
      for (int slot = 1; slot < slots.length; slot++) {
        Object value = slots[slot];
        if (value == null) {
          continue;
        }
        out.name(schema.jsonName(slot));
        TypeAdapter<Object> adapter = adapters[slot];
        if (value == ModelSchema.NULL) {
          out.nullValue();
        } else if (value instanceof Mismatch) {
          json.write(out, ((Mismatch) value).rawForWriting()); // as it came
        } else if (adapter != null) {
          adapter.write(out, value);
        } else {
          out.value(value instanceof String ? (String) value : DateTimes.format((OffsetDateTime) value));
        }
      }
      @SuppressWarnings("unchecked")
      Map<String, JsonElement> additional = (Map<String, JsonElement>) slots[0];
      if (additional != null) {
        for (Map.Entry<String, JsonElement> entry : additional.entrySet()) {
          out.name(entry.getKey());
          json.write(out, entry.getValue());
        }
      }
      out.endObject();
      out.setSerializeNulls(serializeNulls);
    }

    @Override
    public M read(JsonReader in) throws IOException {
      @Nullable Object[] slots = new Object[adapters.length];
      Map<String, JsonElement> additional = null;
      in.beginObject();
      while (in.hasNext()) {
        String name = in.nextName();
        int slot = schema.slotOf(name);
        if (slot < 0) {
          if (additional == null) {
            additional = new LinkedHashMap<>();
          } else if (additional.containsKey(name)) {
            throw ValueReader.duplicate(in, name);
          }
          additional.put(name, ValueReader.json(in));
          continue;
        }
        if (slots[slot] != null) {
          throw ValueReader.duplicate(in, name);
        }
        if (in.peek() == JsonToken.NULL) {
          in.nextNull();
          slots[slot] = ModelSchema.NULL;
        } else {
          // A value that does not fit the property's type is kept as a Mismatch: only its getter fails.
          slots[slot] = readers[slot].read(in);
        }
      }
      in.endObject();
      slots[0] = additional == null ? Collections.emptyMap() : Collections.unmodifiableMap(additional);
      return schema.create(slots);
    }
  }

  private static final class DateTimeAdapter extends TypeAdapter<OffsetDateTime> {
    /** Strict ISO-8601, as servers commonly send it. */
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
      } catch (DateTimeException e) {
        throw new JsonParseException("the value at " + path + " is not an ISO-8601 date-time with an "
            + "offset (" + e.getMessage() + ")", e);
      }
    }
  }
}
