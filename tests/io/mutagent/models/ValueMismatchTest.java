package io.mutagent.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.internal.Json;
import java.io.IOException;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A value that does not fit its type (a wrong JSON type, a number out of range, an enum that is
 * not a string) fails only its getter, naming the property and the JSON path; the rest of the
 * model reads as usual, and the model is written back as it came. (Before, each of these failed
 * the whole parse.)
 */
class ValueMismatchTest {
  static final String PROMPT = "{\"id\":\"prm_1\",\"workspaceId\":\"ws_1\",\"name\":\"n\",\"content\":\"c\","
      + "\"variables\":[{\"name\":\"v\",\"required\":true}],\"tags\":[\"a\",\"b\"],\"status\":\"active\","
      + "\"latestVersion\":1,\"createdAt\":\"2026-10-12T08:30:00Z\",\"updatedAt\":\"2026-11-02T09:14:00Z\"}";

  static Prompt prompt(String from, String to) {
    String json = PROMPT.replace(from, to);
    assertNotEquals(PROMPT, json, "the test's replacement found nothing to replace");
    return Json.gson().fromJson(json, Prompt.class);
  }

  static MutagentInvalidDataException fails(Executable getter, String property, String path) {
    MutagentInvalidDataException e = assertThrows(MutagentInvalidDataException.class, getter);
    assertTrue(e.getMessage().startsWith(property + ": the server sent "), e.getMessage());
    assertTrue(e.getMessage().contains("(at " + path + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("the rest of the object is still readable"), e.getMessage());
    return e;
  }

  /** Everything but the bad property reads as it would have. */
  static void theRestReads(Prompt prompt) {
    assertEquals("prm_1", prompt.id());
    assertEquals("ws_1", prompt.workspaceId());
    assertEquals("c", prompt.content());
    assertEquals(OffsetDateTime.of(2026, 11, 2, 9, 14, 0, 0, ZoneOffset.UTC), prompt.updatedAt());
  }

  @Test
  void anInt32OutOfRangeFailsOnlyItsGetter() {
    Prompt prompt = prompt("\"latestVersion\":1", "\"latestVersion\":3000000000");

    theRestReads(prompt);
    assertEquals(List.of("a", "b"), prompt.tags());
    MutagentInvalidDataException e = fails(prompt::latestVersion, "Prompt.latestVersion", "$.latestVersion");
    assertTrue(e.getMessage().contains("a number out of the range of an int32"), e.getMessage());
    assertFalse(e.getMessage().contains("3000000000"), "the value stays out of the message: " + e.getMessage());
  }

  @Test
  void aModelWithABadValueIsWrittenBackAsItCame() {
    String json = PROMPT.replace("\"latestVersion\":1", "\"latestVersion\":3000000000")
        .replace("\"tags\":[\"a\",\"b\"]", "\"tags\":[\"a\",7,{\"x\":[1.50]}]");
    Prompt prompt = Json.gson().fromJson(json, Prompt.class);

    assertEquals(JsonParser.parseString(json), JsonParser.parseString(Json.gson().toJson(prompt)));
    assertEquals(Json.gson().toJson(prompt), Json.gson().toJson(prompt.toBuilder().build()));
    assertEquals(prompt, Json.gson().fromJson(json, Prompt.class));
    assertEquals(prompt.hashCode(), Json.gson().fromJson(json, Prompt.class).hashCode());
    assertEquals(7, prompt.toBuilder().latestVersion(7).build().latestVersion(), "a setter replaces the bad value");
  }

  @Test
  void eachWrongJsonTypeFailsOnlyItsGetter() {
    fails(prompt("\"name\":\"n\"", "\"name\":5")::name, "Prompt.name", "$.name");
    fails(prompt("\"name\":\"n\"", "\"name\":{\"first\":\"n\"}")::name, "Prompt.name", "$.name");
    fails(prompt("\"latestVersion\":1", "\"latestVersion\":\"1\"")::latestVersion, "Prompt.latestVersion", "$.latestVersion");
    fails(prompt("\"latestVersion\":1", "\"latestVersion\":1.5")::latestVersion, "Prompt.latestVersion", "$.latestVersion");
    fails(prompt("\"latestVersion\":1", "\"latestVersion\":true")::latestVersion, "Prompt.latestVersion", "$.latestVersion");
    fails(prompt("\"status\":\"active\"", "\"status\":{\"v\":\"active\"}")::status, "Prompt.status", "$.status");
    fails(prompt("\"status\":\"active\"", "\"status\":3")::status, "Prompt.status", "$.status");
    fails(prompt("\"createdAt\":\"2026-10-12T08:30:00Z\"", "\"createdAt\":1760257800")::createdAt,
        "Prompt.createdAt", "$.createdAt");
    fails(prompt("\"tags\":[\"a\",\"b\"]", "\"tags\":\"a,b\"")::tags, "Prompt.tags", "$.tags");
    fails(prompt("\"variables\":[", "\"variables\":{\"v\":1},\"x\":[")::variables, "Prompt.variables", "$.variables");
  }

  @Test
  void anOptionalOrNullableGetterFailsToo() throws IOException {
    Evaluation evaluation = Json.gson().fromJson("{\"id\":\"e\",\"promptVersion\":2147483648,"
        + "\"startedAt\":[],\"name\":\"n\"}", Evaluation.class);
    assertEquals("n", evaluation.name());
    fails(evaluation::promptVersion, "Evaluation.promptVersion", "$.promptVersion");
    fails(evaluation::startedAt, "Evaluation.startedAt", "$.startedAt");
    // Read as the SDK reads a response: strictly (Gson's fromJson(String) reads 1e400 as an infinity).
    OptimizationJob job = Json.gson().getAdapter(OptimizationJob.class).read(
        new JsonReader(new StringReader("{\"bestScore\":\"0.9\",\"targetScore\":1e400}")));
    fails(job::bestScore, "OptimizationJob.bestScore", "$.bestScore");
    MutagentInvalidDataException e = fails(job::targetScore, "OptimizationJob.targetScore", "$.targetScore");
    assertTrue(e.getMessage().contains("out of the range of a double"), e.getMessage());
    EvaluationItemResult item = Json.gson().fromJson("{\"score\":0.5,\"passed\":\"yes\","
        + "\"latencyMs\":18446744073709551616}", EvaluationItemResult.class);
    assertEquals(0.5, item.score());
    fails(item::passed, "EvaluationItemResult.passed", "$.passed");
    fails(item::latencyMs, "EvaluationItemResult.latencyMs", "$.latencyMs");
    assertEquals(OptionalInt.of(3), Json.gson().fromJson("{\"promptVersion\":3.0}", Evaluation.class).promptVersion(),
        "a whole number written with a fraction fits an int32, as JSON Schema says");
  }

  @Test
  void aBadItemFailsTheGetterOfTheModelThatHoldsItNotTheList() {
    String bad = PROMPT.replace("\"latestVersion\":1", "\"latestVersion\":-3000000000")
        .replace("\"tags\":[\"a\",\"b\"]", "\"tags\":[\"a\",\"b\",false]")
        .replace("\"required\":true", "\"required\":\"true\"");
    PromptPage page = Json.gson().fromJson("{\"data\":[" + PROMPT + "," + bad + "],\"pagination\":{\"page\":1,"
        + "\"limit\":2,\"total\":2147483648,\"hasMore\":false}}", PromptPage.class);

    assertEquals(2, page.data().size());
    assertEquals(1, page.data().get(0).latestVersion());
    assertEquals(List.of("a", "b"), page.data().get(0).tags());
    Prompt second = page.data().get(1);
    assertEquals("prm_1", second.id());
    fails(second::latestVersion, "Prompt.latestVersion", "$.data[1].latestVersion");
    // A list of plain values with a bad item fails as a whole, naming the item.
    fails(second::tags, "Prompt.tags", "$.data[1].tags[2]");
    // A model in a list keeps its own bad values: the list reads, the item's getter fails.
    PromptVariable variable = second.variables().get(0);
    assertEquals("v", variable.name());
    fails(variable::required, "PromptVariable.required", "$.data[1].variables[0].required");
    // pagination.total beyond int32: only total() fails.
    assertEquals(1, page.pagination().page());
    assertFalse(page.pagination().hasMore());
    fails(page.pagination()::total, "PageInfo.total", "$.pagination.total");
  }

  @Test
  void anItemThatIsNoModelAtAllFailsTheListGetter() {
    PromptPage page = Json.gson().fromJson("{\"data\":[" + PROMPT + ",\"prm_2\",null],\"pagination\":{\"page\":1,"
        + "\"limit\":2,\"total\":2,\"hasMore\":false}}", PromptPage.class);

    MutagentInvalidDataException e = fails(page::data, "PromptPage.data", "$.data[1]");
    assertTrue(e.getMessage().contains("a string where an object (Prompt) belongs"), e.getMessage());
    assertEquals(2, page.pagination().total());
  }

  @Test
  void aMapWithABadValueFailsItsGetterAndAMapKeyInThePathIsMadeSafe() {
    Trace trace = Json.gson().fromJson("{\"id\":\"t\",\"metadata\":{\"ok\":\"1\",\"bad\\u001b[2J\\nkey\":2}}", Trace.class);

    assertEquals("t", trace.id());
    MutagentInvalidDataException e = fails(trace::metadata, "Trace.metadata", "$.metadata.bad\\u001b[2J\\nkey");
    assertFalse(e.getMessage().matches("(?s).*[\\n\\u001b].*"), "control characters are escaped: " + e.getMessage());
    Trace fine = Json.gson().fromJson("{\"metadata\":{\"ok\":\"1\",\"none\":null}}", Trace.class);
    assertEquals(Map.of("ok", "1"), Map.of("ok", fine.metadata().get("ok")));
    assertTrue(fine.metadata().containsKey("none"), "a null value in a map is kept, as before");
  }

  @Test
  void toStringSaysAValueIsInvalidWithoutShowingIt() {
    Prompt prompt = prompt("\"name\":\"n\"", "\"name\":{\"secret\":\"mt_live_x\"}");

    assertTrue(prompt.toString().contains("name=[invalid: an object where a string belongs]"), prompt.toString());
    assertFalse(prompt.toString().contains("mt_live_x"), prompt.toString());
  }

  @Test
  void aRequiredPropertyLeftOutStillFailsItsGetterAsBefore() {
    Prompt prompt = Json.gson().fromJson("{\"id\":\"prm_1\"}", Prompt.class);

    MutagentInvalidDataException e = assertThrows(MutagentInvalidDataException.class, prompt::latestVersion);
    assertTrue(e.getMessage().contains("Prompt.latestVersion is required by the API spec but the server's "
        + "response left it out"), e.getMessage());
  }
}
