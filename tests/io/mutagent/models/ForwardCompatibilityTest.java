package io.mutagent.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * "The server changed": a response with a field this SDK does not know, an enum value it does not
 * know, a null where a value was, and an optional field left out. Nothing throws, nothing is lost.
 */
class ForwardCompatibilityTest {
  static final String FIXTURE = read("/fixtures/prompt-server-changed.json");

  static String read(String resource) {
    try (InputStream in = ForwardCompatibilityTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + resource, e);
    }
  }

  Prompt parse() {
    return Json.gson().fromJson(FIXTURE, Prompt.class);
  }

  @Test
  void aNewFieldIsKeptReadableAndWrittenBack() {
    Prompt prompt = parse();

    assertEquals(List.of("owner", "experimentalFlag"), List.copyOf(prompt.additionalProperties().keySet()));
    assertEquals("usr_1", prompt.additionalProperties().get("owner").getAsJsonObject().get("id").getAsString());
    assertTrue(prompt.additionalProperties().get("experimentalFlag").getAsBoolean());
    JsonElement written = JsonParser.parseString(Json.gson().toJson(prompt));
    assertEquals(JsonParser.parseString(FIXTURE).getAsJsonObject().get("owner"),
        written.getAsJsonObject().get("owner"));
  }

  @Test
  void jsonValuesAreHandedOutAsCopiesWhateverComesFirstInTheirList() {
    OtlpTraceRequest request = Json.gson().fromJson(
        "{\"resourceSpans\":[null,{\"k\":{\"x\":1}}]}", OtlpTraceRequest.class);
    request.resourceSpans().get(1).get("k").getAsJsonObject().addProperty("x", 999);
    assertEquals(1, request.resourceSpans().get(1).get("k").getAsJsonObject().get("x").getAsInt(),
        "a JSON value got from the model changed the model");
    assertEquals("{\"resourceSpans\":[null,{\"k\":{\"x\":1}}]}", Json.gson().toJson(request));
    assertThrows(UnsupportedOperationException.class, () -> request.resourceSpans().get(1).put("j", null));
  }

  @Test
  void aNewEnumValueIsCarriedUnchanged() {
    Prompt prompt = parse();

    PromptStatus status = prompt.status();
    assertFalse(status.isKnown());
    assertEquals("retired", status.value());
    assertEquals(PromptStatus.Known.UNRECOGNIZED, status.known());
    assertEquals("\"retired\"", Json.gson().toJson(status));
    assertEquals(status, PromptStatus.of("retired"));
  }

  @Test
  void aNullAndAMissingOptionalFieldReadAsEmpty() {
    Prompt prompt = parse();

    assertEquals(Optional.empty(), prompt.description()); // null in the fixture
    assertEquals(Optional.empty(), prompt.messages()); // left out of the fixture
    assertEquals("Support triage", prompt.name());
  }

  @Test
  void writingBackGivesTheSameJsonAndKeepsNullApartFromMissing() {
    Prompt prompt = parse();
    JsonElement written = JsonParser.parseString(Json.gson().toJson(prompt));

    assertEquals(JsonParser.parseString(FIXTURE), written);
    assertTrue(written.getAsJsonObject().has("description"), "the explicit null must be written back");
    assertFalse(written.getAsJsonObject().has("messages"), "a missing field must stay missing");
  }

  @Test
  void toBuilderBuildRoundTripsByteForByte() {
    Prompt prompt = parse();
    Prompt copy = prompt.toBuilder().build();

    assertEquals(Json.gson().toJson(prompt), Json.gson().toJson(copy));
    assertEquals(prompt, copy);
    assertEquals(prompt.hashCode(), copy.hashCode());
  }

  @Test
  void datesAreOffsetDateTimesBothWays() {
    Prompt prompt = parse();

    assertEquals(OffsetDateTime.of(2026, 11, 3, 10, 0, 0, 0, ZoneOffset.ofHours(2)),
        prompt.updatedAt());
    assertTrue(Json.gson().toJson(prompt).contains("\"updatedAt\":\"2026-11-03T10:00:00+02:00\""));
    assertTrue(Json.gson().toJson(prompt).contains("\"createdAt\":\"2026-11-02T09:14:00Z\""));
  }

  @Test
  void fractionsOfASecondAreWrittenBackAsTheyCame() {
    for (String text : List.of("2026-11-02T09:14:01.250Z", "2026-11-02T09:14:01.250100+05:30",
        "2026-11-02T09:14:01.000000001-03:00", "2026-11-02T09:14:00Z")) {
      String json = "\"" + text + "\"";
      assertEquals(json, Json.gson().toJson(Json.gson().fromJson(json, OffsetDateTime.class)));
    }
  }

  @Test
  void aBadDateFailsOnlyItsGetterAndIsWrittenBackAsItCame() {
    String json = "{\"id\":\"prm_1\",\"createdAt\":\"mt_live_secret\",\"updatedAt\":\"2026-11-03T10:00:00.5+02:00\"}";
    Prompt prompt = Json.gson().fromJson(json, Prompt.class);

    assertEquals("prm_1", prompt.id());
    assertEquals(OffsetDateTime.of(2026, 11, 3, 10, 0, 0, 500_000_000, ZoneOffset.ofHours(2)), prompt.updatedAt());
    MutagentInvalidDataException bad = assertThrows(MutagentInvalidDataException.class, prompt::createdAt);
    assertTrue(bad.getMessage().startsWith("Prompt.createdAt is not an ISO-8601 date-time"), bad.getMessage());
    assertFalse(bad.getMessage().contains("mt_live_secret"), "the text stays out of the message: " + bad.getMessage());
    assertEquals(json, Json.gson().toJson(prompt));
  }

  @Test
  void aDateReadAsTextEqualsTheSameInstantBuilt() {
    OffsetDateTime at = OffsetDateTime.of(2026, 11, 2, 9, 14, 0, 0, ZoneOffset.UTC);
    Prompt built = Prompt.builder().id("prm_1").workspaceId("wsp_1").name("n").content("c").variables(List.of())
        .tags(List.of()).status(PromptStatus.ACTIVE).latestVersion(1).createdAt(at).updatedAt(at).build();
    String json = Json.gson().toJson(built);
    Prompt read = Json.gson().fromJson(json.replace("09:14:00Z", "09:14:00+00:00"), Prompt.class);

    assertTrue(json.contains("\"createdAt\":\"2026-11-02T09:14:00Z\""), json);
    assertEquals(built, read);
    assertEquals(built.hashCode(), read.hashCode());
  }

  @Test
  void aDateThatIsNotTextFailsOnlyItsGetter() {
    Prompt prompt = Json.gson().fromJson("{\"id\":\"prm_1\",\"createdAt\":{\"at\":1}}", Prompt.class);

    assertEquals("prm_1", prompt.id());
    MutagentInvalidDataException e = assertThrows(MutagentInvalidDataException.class, prompt::createdAt);
    assertTrue(e.getMessage().contains("$.createdAt"), e.getMessage());
  }

  @Test
  void aRequiredFieldTheServerDroppedFailsOnlyWhenRead() {
    Prompt prompt = Json.gson().fromJson("{\"id\":\"prm_1\",\"name\":null}", Prompt.class);

    assertEquals("prm_1", prompt.id());
    MutagentInvalidDataException missing = assertThrows(MutagentInvalidDataException.class, prompt::content);
    assertTrue(missing.getMessage().contains("Prompt.content"), missing.getMessage());
    MutagentInvalidDataException nulled = assertThrows(MutagentInvalidDataException.class, prompt::name);
    assertTrue(nulled.getMessage().contains("had null"), nulled.getMessage());
  }

  @Test
  void knownEnumValuesAreTheConstants() {
    assertSame(PromptStatus.ACTIVE, PromptStatus.of("active"));
    assertSame(PromptStatus.ACTIVE, Json.gson().fromJson("\"active\"", PromptStatus.class));
    assertTrue(PromptStatus.ACTIVE.isKnown());
    String label;
    switch (PromptStatus.of("archived").known()) {
      case ARCHIVED:
        label = "archived";
        break;
      default:
        label = "other";
    }
    assertEquals("archived", label);
  }

  @Test
  void aPlainGsonReadsAndWritesModelsToo() {
    Prompt prompt = new com.google.gson.Gson().fromJson(FIXTURE, Prompt.class);

    assertEquals(parse(), prompt);
  }
}
