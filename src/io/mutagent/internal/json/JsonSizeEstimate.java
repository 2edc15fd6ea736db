package io.mutagent.internal.json;

import com.google.gson.JsonElement;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How many bytes a generated model takes as JSON, found by walking its slots without writing
 * anything: each string counts its length in UTF-16 units plus its two quotes, and everything
 * else (property names, punctuation, numbers, booleans, date-times) counts exactly as the SDK's
 * Gson writes it. A walk costs a few nanoseconds a property, whatever the length of the text.
 *
 * <p>So the estimate is exact for a value whose text is ASCII with nothing JSON escapes (no
 * quote, backslash or control character), and otherwise a lower bound: a character takes up to 3
 * bytes in UTF-8, and an escaped one ({@code \n}, {@code \u0001}) up to 6. Hence
 * {@code estimate <= exact <= MAX_EXPANSION * estimate} for every value. Unknown properties (free
 * JSON) and values that do not fit their type are counted exactly with {@link JsonSize}, as is
 * any value of a type this walk does not know. Internal.
 */
public final class JsonSizeEstimate {
  /** The most bytes the SDK's Gson writes for one byte of the estimate: an escaped character. */
  public static final int MAX_EXPANSION = 6;

  private JsonSizeEstimate() {}

  /**
   * Returns the estimate of a model's JSON size in bytes (see the class comment).
   *
   * @throws IllegalArgumentException if the value is not a generated model
   * @throws DateTimeException if a date-time cannot be written (its year is outside 0 to 9999)
   * @throws RuntimeException what Gson throws for a free JSON value it cannot write
   */
  public static long of(Object model) {
    ModelSchema<?> schema = ModelSchema.ofInstance(model);
    if (schema == null) {
      throw new IllegalArgumentException(model.getClass().getName() + " is not a generated model");
    }
    return model(schema, model);
  }

  private static <M> long model(ModelSchema<M> schema, Object value) {
    @SuppressWarnings("unchecked")
    @Nullable Object[] slots = schema.slots((M) value);
    long bytes = 2; // {}
    int members = 0;
    for (int slot = 1; slot < slots.length; slot++) {
      Object item = slots[slot];
      if (item == null) {
        continue;
      }
      members++;
      bytes += schema.jsonName(slot).length() + 3; // "name":
      if (item == ModelSchema.NULL) {
        bytes += 4;
      } else if (item instanceof Mismatch) {
        bytes += JsonSize.of(((Mismatch) item).rawForWriting(), JsonElement.class);
      } else if (schema.isDate(slot)) {
        bytes += item instanceof String ? ((String) item).length() + 2 : date((OffsetDateTime) item);
      } else {
        bytes += value(item);
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, JsonElement> additional = (Map<String, JsonElement>) slots[0];
    if (additional != null) {
      for (Map.Entry<String, JsonElement> entry : additional.entrySet()) {
        members++;
        bytes += entry.getKey().length() + 3 + JsonSize.of(entry.getValue(), JsonElement.class);
      }
    }
    return bytes + Math.max(0, members - 1); // the commas
  }

  private static long value(Object value) {
    if (value instanceof String) {
      return ((String) value).length() + 2;
    }
    if (value instanceof Integer) {
      return digits((Integer) value);
    }
    if (value instanceof Long) {
      return digits((Long) value);
    }
    if (value instanceof Boolean) {
      return (Boolean) value ? 4 : 5;
    }
    if (value instanceof List) {
      List<?> list = (List<?>) value;
      long bytes = 2 + Math.max(0, list.size() - 1);
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        bytes += item == null ? 4 : value(item);
      }
      return bytes;
    }
    if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      long bytes = 2 + Math.max(0, map.size() - 1);
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        Object item = entry.getValue();
        bytes += String.valueOf(entry.getKey()).length() + 3 + (item == null ? 4 : value(item));
      }
      return bytes;
    }
    ModelSchema<?> schema = ModelSchema.ofInstance(value);
    if (schema != null) {
      return model(schema, value);
    }
    if (value.getClass().getPackageName().equals("io.mutagent.models")) {
      // An open enum, the one other kind of class there: its toString() is its JSON string.
      return value.toString().length() + 2;
    }
    return JsonSize.of(value, value.getClass());
  }

  /** The length of a date-time as {@link io.mutagent.internal.DateTimes#format} writes it, quoted. */
  private static long date(OffsetDateTime value) {
    int year = value.getYear();
    if (year < 0 || year > 9999) {
      throw new DateTimeException("year " + year + " does not fit ISO-8601's four digits");
    }
    int nanos = value.getNano();
    int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 4 : nanos % 1_000 == 0 ? 7 : 10;
    return 2 + 19 + fraction + value.getOffset().getId().length();
  }

  private static long digits(long value) {
    long bytes = value < 0 ? 2 : 1;
    long rest = value < 0 ? -(value / 10) : value / 10; // no overflow at Long.MIN_VALUE
    while (rest != 0) {
      bytes++;
      rest /= 10;
    }
    return bytes;
  }
}
