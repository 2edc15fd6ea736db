package io.mutagent.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.internal.Json;
import org.junit.jupiter.api.Test;

/**
 * One rule for a key that appears twice in an object, at any depth: the whole JSON is refused as
 * invalid data, naming the path of the second key. Before, a model kept the last value, a map
 * refused it with Gson's own exception and a free-form JSON value kept the last.
 */
class DuplicateKeyTest {
  static final String PROMPT = ValueMismatchTest.PROMPT;

  /** Returns the prompt with properties added at its end. */
  static String withLast(String properties) {
    return PROMPT.substring(0, PROMPT.length() - 1) + properties;
  }
  static final String PAGE_END = "],\"pagination\":{\"page\":1,\"limit\":2,\"total\":2,\"hasMore\":false}}";

  static void refused(String json, Class<?> type, String path) {
    MutagentInvalidDataException e = assertThrows(MutagentInvalidDataException.class,
        () -> Json.gson().fromJson(json, type));
    assertTrue(e.getMessage().contains("twice in one object (at " + path + ")"), e.getMessage());
  }

  @Test
  void aModelPropertyTwiceIsRefusedNotLastWins() {
    refused(withLast(",\"id\":\"prm_DUP\"}"), Prompt.class, "$.id");
    refused(PROMPT.replace("\"id\":\"prm_1\"", "\"id\":null,\"id\":\"prm_1\""), Prompt.class, "$.id");
  }

  @Test
  void anUnknownPropertyTwiceIsRefused() {
    refused(withLast(",\"owner\":1,\"owner\":2}"), Prompt.class, "$.owner");
  }

  @Test
  void aKeyTwiceInANestedModelInAListOrInAMapIsRefused() {
    refused("{\"data\":[" + PROMPT + "," + PROMPT.replace("\"required\":true", "\"required\":true,\"required\":false")
        + PAGE_END, PromptPage.class, "$.data[1].variables[0].required");
    refused("{\"data\":[" + PAGE_END.replace("\"total\":2", "\"total\":2,\"total\":3"), PromptPage.class,
        "$.pagination.total");
    refused("{\"id\":\"t\",\"metadata\":{\"k\":\"1\",\"k\":\"2\"}}", Trace.class, "$.metadata.k");
  }

  @Test
  void aKeyTwiceInAFreeFormJsonValueIsRefused() {
    refused("{\"resourceSpans\":[{\"scopeSpans\":[{\"a\":1,\"a\":1}]}]}", OtlpTraceRequest.class,
        "$.resourceSpans[0].scopeSpans[0].a");
    refused("{\"error\":\"bad\",\"message\":\"m\",\"details\":{\"field\":{\"x\":1,\"x\":2}}}", ErrorBody.class,
        "$.details.field.x");
    refused(withLast(",\"owner\":{\"id\":\"u\",\"id\":\"v\"}}"), Prompt.class, "$.owner.id");
  }

  @Test
  void aKeyTwiceInsideAValueThatDoesNotFitItsTypeIsRefusedToo() {
    refused(PROMPT.replace("\"latestVersion\":1", "\"latestVersion\":{\"v\":1,\"v\":2}"), Prompt.class,
        "$.latestVersion.v");
    refused(PROMPT.replace("\"tags\":[\"a\",\"b\"]", "\"tags\":[\"a\",{\"b\":1,\"b\":1}]"), Prompt.class,
        "$.tags[1].b");
  }

  @Test
  void theSameKeyInTwoObjectsIsNoDuplicate() {
    PromptPage page = Json.gson().fromJson("{\"data\":[" + PROMPT + "," + PROMPT + PAGE_END, PromptPage.class);
    assertEquals(2, page.data().size());
  }
}
