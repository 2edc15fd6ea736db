package io.mutagent.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.mutagent.internal.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code rawJson(name)}: a property as JSON, the value as it came when it does not fit its type. */
class RawJsonTest {
  static final String PROMPT = ValueMismatchTest.PROMPT;

  /** Returns the prompt with properties added at its end. */
  static String withLast(String properties) {
    return PROMPT.substring(0, PROMPT.length() - 1) + properties;
  }

  @Test
  void aValueThatDoesNotFitIsReadableAsItCame() {
    Prompt prompt = ValueMismatchTest.prompt("\"latestVersion\":1", "\"latestVersion\":3000000000");

    JsonElement raw = prompt.rawJson("latestVersion").orElseThrow();
    assertEquals(3_000_000_000L, raw.getAsLong());
    assertEquals("3000000000", raw.toString());
  }

  @Test
  void aListWithABadItemIsReadableWholeAsItCame() {
    Prompt prompt = ValueMismatchTest.prompt("\"tags\":[\"a\",\"b\"]", "\"tags\":[\"a\",null,2,{\"x\":1.50}]");

    assertEquals(JsonParser.parseString("[\"a\",null,2,{\"x\":1.50}]"), prompt.rawJson("tags").orElseThrow());
    PromptPage page = Json.gson().fromJson("{\"data\":[" + PROMPT + ",7],\"pagination\":{}}", PromptPage.class);
    assertEquals(JsonParser.parseString("[" + PROMPT + ",7]"), page.rawJson("data").orElseThrow(),
        "a model that came before the bad item reads back as it came");
  }

  @Test
  void aFittingValueANullAndALeftOutPropertyReadAsTheyWouldBeWritten() {
    Prompt prompt = Json.gson().fromJson(PROMPT.replace("\"name\":\"n\"", "\"description\":null"), Prompt.class);

    assertEquals(Optional.of(new JsonPrimitive(1)), prompt.rawJson("latestVersion"));
    assertEquals(Optional.of(JsonParser.parseString("[\"a\",\"b\"]")), prompt.rawJson("tags"));
    assertEquals(Optional.of(new JsonPrimitive("active")), prompt.rawJson("status"));
    assertEquals(Optional.of(new JsonPrimitive("2026-10-12T08:30:00Z")), prompt.rawJson("createdAt"));
    assertEquals(Optional.of(JsonParser.parseString("[{\"name\":\"v\",\"required\":true}]")), prompt.rawJson("variables"));
    assertEquals(Optional.of(JsonNull.INSTANCE), prompt.rawJson("description"));
    assertEquals(Optional.empty(), prompt.rawJson("name"));
    assertEquals(Optional.empty(), prompt.rawJson("messages"));
  }

  @Test
  void whatItGivesIsACopy() {
    Prompt prompt = ValueMismatchTest.prompt("\"latestVersion\":1", "\"latestVersion\":{\"v\":1}");

    prompt.rawJson("latestVersion").orElseThrow().getAsJsonObject().addProperty("v", 2);
    assertEquals(JsonParser.parseString("{\"v\":1}"), prompt.rawJson("latestVersion").orElseThrow());
  }

  @Test
  void aNameTheModelDoesNotDeclareIsRefused() {
    Prompt prompt = Json.gson().fromJson(withLast(",\"owner\":1}"), Prompt.class);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> prompt.rawJson("owner"));
    assertTrue(e.getMessage().contains("Prompt has no property named owner"), e.getMessage());
    assertTrue(e.getMessage().contains("additionalProperties()"), e.getMessage());
    assertEquals(List.of("owner"), List.copyOf(prompt.additionalProperties().keySet()));
  }
}
