package io.mutagent.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.time.OffsetDateTime;

/**
 * The Gson configuration the SDK reads and writes the API's JSON with. Models name their shared
 * adapter ({@code @JsonAdapter(ModelJson.class)}), so this adds only what sits outside a model: date-times at the
 * top level, and no HTML escaping. Internal.
 */
public final class Json {
  private static final Gson GSON =
      new GsonBuilder()
          .disableHtmlEscaping()
          .registerTypeAdapter(OffsetDateTime.class, io.mutagent.internal.json.ModelJson.DATE_TIME)
          .create();

  private Json() {}

  /** Returns the shared, immutable Gson instance. */
  public static Gson gson() {
    return GSON;
  }
}
