package io.mutagent.internal.http;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.mutagent.internal.text.SafeText;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites a JSON body for a log line, token by token: the value of a secret property reads
 * {@code "[redacted]"} at any depth, and the rest is written back compactly with Gson's own
 * escapes, so a credential that the server wrote with <code>&#92;u</code> escapes comes out
 * literally, for {@link SafeText} to mask afterwards. A token is only
 * written once it has been read whole, so a body cut at a limit never shows part of a value.
 * Internal.
 */
final class JsonBodyRedactor {
  /** Follows what was written when the body stops being valid JSON before its end. */
  static final String NOT_JSON_PAST_HERE = " [not valid JSON past this point]";

  private JsonBodyRedactor() {}

  /**
   * Returns the rewritten body, or null if it does not even start as JSON.
   *
   * @param json the body, or its start
   * @param cut whether {@code json} is only the start of the body (then its early end is no error)
   * @param secretProperties property names whose values are secret
   */
  static @Nullable String redact(String json, boolean cut, Set<String> secretProperties) {
    StringWriter out = new StringWriter();
    JsonReader reader = new JsonReader(new StringReader(json));
    JsonWriter writer = new JsonWriter(out);
    try {
      for (JsonToken token = reader.peek(); token != JsonToken.END_DOCUMENT; token = reader.peek()) {
        copy(token, reader, writer, secretProperties);
      }
      writer.flush();
      return out.toString();
    } catch (IOException | IllegalStateException | NumberFormatException stopped) {
      String written = out.toString();
      if (written.isEmpty()) {
        return null;
      }
      return cut ? written : written + NOT_JSON_PAST_HERE;
    }
  }

  private static void copy(JsonToken token, JsonReader reader, JsonWriter writer,
      Set<String> secretProperties) throws IOException {
    switch (token) {
      case BEGIN_OBJECT:
        reader.beginObject();
        writer.beginObject();
        break;
      case END_OBJECT:
        reader.endObject();
        writer.endObject();
        break;
      case BEGIN_ARRAY:
        reader.beginArray();
        writer.beginArray();
        break;
      case END_ARRAY:
        reader.endArray();
        writer.endArray();
        break;
      case NAME:
        String name = reader.nextName();
        writer.name(name);
        if (secretProperties.contains(name)) {
          if (reader.peek() == JsonToken.NULL) {
            reader.nextNull();
            writer.nullValue();
          } else {
            writer.value(SafeText.REDACTED); // before the skip, which fails if the value is cut
            reader.skipValue();
          }
        }
        break;
      case STRING:
        writer.value(reader.nextString());
        break;
      case NUMBER:
        writer.jsonValue(reader.nextString()); // the reader has checked it is a JSON number
        break;
      case BOOLEAN:
        writer.value(reader.nextBoolean());
        break;
      case NULL:
        reader.nextNull();
        writer.nullValue();
        break;
      default:
        throw new IllegalStateException("unexpected " + token);
    }
  }
}
