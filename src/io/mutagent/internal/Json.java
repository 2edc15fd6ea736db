package io.mutagent.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The one Gson configuration the SDK reads and writes the API's JSON with. Internal. */
public final class Json {
  private static final Gson GSON =
      new GsonBuilder()
          .disableHtmlEscaping()
          .registerTypeAdapter(OffsetDateTime.class, new OffsetDateTimeAdapter().nullSafe())
          .create();

  private Json() {}

  /** Returns the shared, immutable Gson instance. */
  public static Gson gson() {
    return GSON;
  }

  /** ISO-8601 with an offset both ways ({@code 2026-11-02T09:14:00Z}). */
  static final class OffsetDateTimeAdapter extends TypeAdapter<OffsetDateTime> {
    @Override
    public void write(JsonWriter out, OffsetDateTime value) throws IOException {
      out.value(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
    }

    @Override
    public OffsetDateTime read(JsonReader in) throws IOException {
      if (in.peek() != JsonToken.STRING) {
        throw new JsonParseException(
            "expected an ISO-8601 date-time string at " + in.getPath() + ", got " + in.peek());
      }
      String text = in.nextString();
      try {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      } catch (DateTimeParseException e) {
        throw new JsonParseException(
            "'" + text + "' at " + in.getPath() + " is not an ISO-8601 date-time with an offset", e);
      }
    }
  }
}
