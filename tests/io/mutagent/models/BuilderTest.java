package io.mutagent.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonPrimitive;
import io.mutagent.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuilderTest {

  @Test
  void buildNamesEveryMissingRequiredFieldAndTheModel() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CreatePromptRequest.builder().description("no name, no content").build());

    assertEquals("CreatePromptRequest is missing required fields name, content: set them on "
        + "CreatePromptRequest.builder() before build()", e.getMessage());
  }

  @Test
  void buildNamesASingleMissingField() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CreatePromptRequest.builder().name("Support triage").build());

    assertTrue(e.getMessage().startsWith("CreatePromptRequest is missing required field content:"),
        e.getMessage());
  }

  @Test
  void modelsAreImmutableValues() {
    List<String> tags = new ArrayList<>(List.of("a"));
    CreatePromptRequest request = CreatePromptRequest.builder()
        .name("n").content("c").tags(tags).build();
    tags.add("b");

    assertEquals(List.of("a"), request.tags().orElseThrow());
    assertThrows(UnsupportedOperationException.class, () -> request.tags().orElseThrow().add("x"));
    CreatePromptRequest changed = request.toBuilder().name("other").build();
    assertEquals("n", request.name());
    assertEquals("other", changed.name());
    assertNotEquals(request, changed);
    assertEquals(request, request.toBuilder().build());
  }

  @Test
  void nullForANonNullableOptionalFieldLeavesItOut() {
    CreatePromptRequest request = CreatePromptRequest.builder()
        .name("n").content("c").tags(null).build();

    assertEquals(Optional.empty(), request.tags());
    assertFalse(Json.gson().toJson(request).contains("tags"));
  }

  @Test
  void additionalPropertiesCanBeSentAndSurviveToBuilder() {
    CreatePromptRequest request = CreatePromptRequest.builder()
        .name("n").content("c").putAdditionalProperty("beta", new JsonPrimitive(true)).build();

    assertEquals("{\"name\":\"n\",\"content\":\"c\",\"beta\":true}", Json.gson().toJson(request));
    assertEquals(request.additionalProperties(), request.toBuilder().build().additionalProperties());
    assertFalse(request.toBuilder().removeAdditionalProperty("beta").build()
        .additionalProperties().containsKey("beta"));
  }

  @Test
  void aKnownPropertyCannotBeSmuggledInAsAnUnknownOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CreatePromptRequest.builder().putAdditionalProperty("name", new JsonPrimitive("x")));
    assertEquals("name is a known property of CreatePromptRequest: set it with its own builder method", e.getMessage());
  }

  @Test
  void unknownPropertiesCannotBeChangedFromOutside() {
    com.google.gson.JsonObject owner = new com.google.gson.JsonObject();
    owner.addProperty("team", "support");
    CreatePromptRequest request = CreatePromptRequest.builder().name("n").content("c")
        .putAdditionalProperty("owner", owner).build();
    owner.addProperty("team", "changed after build");
    request.additionalProperties().get("owner").getAsJsonObject().addProperty("team", "changed via getter");

    assertEquals("{\"name\":\"n\",\"content\":\"c\",\"owner\":{\"team\":\"support\"}}", Json.gson().toJson(request));
  }

  @Test
  void toStringListsSetFieldsAndRedactsSecrets() {
    CreatedApiKey key = Json.gson().fromJson("{\"id\":\"key_1\",\"name\":\"ci\",\"key\":\"mt_live_SECRET\","
        + "\"extra\":\"mt_other_SECRET\"}", CreatedApiKey.class);

    String text = key.toString();
    assertFalse(text.contains("SECRET"), text);
    assertTrue(text.startsWith("CreatedApiKey{id=key_1, name=ci"), text);
    assertTrue(text.contains("key=[redacted]"), text);
    assertTrue(text.contains("additionalProperties=[extra]"), text);
  }

  @Test
  void toStringSummarisesListsMapsAndLongTextToFitALogLine() {
    OtlpTraceRequest spans = Json.gson().fromJson("{\"resourceSpans\":[{\"a\":1},{\"b\":2},{\"c\":3}]}",
        OtlpTraceRequest.class);
    assertEquals("OtlpTraceRequest{resourceSpans=[3 items]}", spans.toString());
    CreatePromptRequest request = CreatePromptRequest.builder().name("line one\nforged line").content("x".repeat(5000))
        .tags(List.of("a", "b")).build();
    String text = request.toString();
    assertTrue(text.length() < 300, text);
    assertTrue(text.contains("name=line one\\nforged line"), "a control character is escaped: " + text);
    assertTrue(text.contains("tags=[2 items]"), text);
    assertFalse(text.contains("x".repeat(100)), text);
  }

  @Test
  void requiredNumbersArePrimitivesAndOptionalOnesFollowOneRule() {
    Prompt prompt = Json.gson().fromJson("{\"latestVersion\":1000}", Prompt.class);
    PromptVersion version = Json.gson().fromJson("{\"version\":1000}", PromptVersion.class);
    assertTrue(prompt.latestVersion() == version.version(), "== compares values, also above 127");
    OptimizationJob job = Json.gson().fromJson("{\"bestScore\":0.5}", OptimizationJob.class);
    assertEquals(java.util.OptionalDouble.of(0.5), job.bestScore());
    assertEquals(java.util.OptionalDouble.empty(), Json.gson().fromJson("{}", OptimizationJob.class).bestScore());
  }

  @Test
  void jsonValuesAndNestedCollectionsCannotBeChangedAfterBuild() {
    com.google.gson.JsonObject resource = new com.google.gson.JsonObject();
    resource.addProperty("name", "original");
    java.util.Map<String, com.google.gson.JsonElement> span = new java.util.LinkedHashMap<>();
    span.put("resource", resource);
    java.util.List<java.util.Map<String, com.google.gson.JsonElement>> spans = new java.util.ArrayList<>(List.of(span));
    OtlpTraceRequest request = OtlpTraceRequest.builder().resourceSpans(spans).build();
    int hash = request.hashCode();
    resource.addProperty("name", "changed after build");
    span.put("added", new com.google.gson.JsonObject());
    spans.add(new java.util.HashMap<>());
    request.resourceSpans().get(0).get("resource").getAsJsonObject().addProperty("name", "changed through the getter");
    assertEquals(hash, request.hashCode());
    assertEquals("{\"resourceSpans\":[{\"resource\":{\"name\":\"original\"}}]}", Json.gson().toJson(request));
    assertThrows(UnsupportedOperationException.class, () -> request.resourceSpans().add(new java.util.HashMap<>()));
    assertThrows(UnsupportedOperationException.class,
        () -> request.resourceSpans().get(0).put("x", new com.google.gson.JsonObject()), "inner maps are unmodifiable");

    ErrorBody error = Json.gson().fromJson("{\"error\":\"e\",\"message\":\"m\",\"details\":{\"field\":\"name\"}}", ErrorBody.class);
    assertThrows(UnsupportedOperationException.class,
        () -> error.details().orElseThrow().put("field", new com.google.gson.JsonPrimitive("changed")));
    assertEquals("name", error.details().orElseThrow().get("field").getAsString());
  }

  @Test
  void modelBuildersCheckTheSpecsBoundsLikeQueryParameterBuilders() {
    assertEquals("maxIterations must be at most 50, got 500",
        assertThrows(IllegalArgumentException.class, () -> StartOptimizationRequest.builder().maxIterations(500)).getMessage());
    assertEquals("name must be at least 1 characters long, got 0",
        assertThrows(IllegalArgumentException.class, () -> CreatePromptRequest.builder().name("")).getMessage());
    // What a server sends is read as it came.
    assertEquals(500, Json.gson().fromJson("{\"maxIterations\":500}", StartOptimizationRequest.class).maxIterations().getAsInt());
  }
}
