package io.mutagent.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documentation changes are a group of their own; a property called "description" is API. */
class SpecDocsTest {
  private static final String SPEC = String.join("\n",
      "openapi: 3.0.3",
      "info:",
      "  title: Things",
      "  version: '1'",
      "  description: The `things` API.",
      "paths:",
      "  /things/{id}:",
      "    get:",
      "      operationId: getThing",
      "      summary: Get a thing",
      "      description: Returns the `thing`.",
      "      parameters:",
      "        - name: id",
      "          in: path",
      "          required: true",
      "          description: The `id`.",
      "          schema:",
      "            type: string",
      "      responses:",
      "        '200':",
      "          description: The thing.",
      "          content:",
      "            application/json:",
      "              schema:",
      "                $ref: '#/components/schemas/Thing'",
      "              example:",
      "                id: thg_1",
      "                description: a `thing`",
      "components:",
      "  schemas:",
      "    Thing:",
      "      description: A `thing`.",
      "      type: object",
      "      required:",
      "        - id",
      "      properties:",
      "        id:",
      "          description: The id (prefix `thg_`).",
      "          type: string",
      "        description:",
      "          description: What the thing is.",
      "          type: string",
      "        kind:",
      "          type: string",
      "          enum:",
      "            - description",
      "            - summary",
      "");

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void descriptionsSummariesAndExamplesWithoutBackticksAreDocumentationOnly() throws IOException {
    Path before = write("old.yaml", SPEC);
    Path after = write("new.yaml", SPEC.replace("`", "").replace("Get a thing", "Fetch a thing")
        .replace("id: thg_1", "id: thg_2"));
    ApiDiff.SpecResult result = ApiDiff.compareSpecs(before, after, dir.resolve("work"));
    assertEquals(0, result.added + result.changed + result.removed, String.join("\n", result.lines));
    assertFalse(result.breaking);
    assertEquals(Map.of("info", Set.of(), "operations", Set.of("getThing"), "schemas", Set.of("Thing")),
        result.docs);
    // info, the operation's summary and description, its parameter, its example, the schema and its id
    assertEquals(7, result.docTexts);
  }

  @Test
  void aPropertyCalledDescriptionIsApi() throws IOException {
    Path before = write("old.yaml", SPEC);
    Path after = write("new.yaml", SPEC.replace(String.join("\n",
        "        description:",
        "          description: What the thing is.",
        "          type: string", ""), ""));
    ApiDiff.SpecResult result = ApiDiff.compareSpecs(before, after, dir.resolve("work"));
    assertEquals(1, result.changed, "removing the property `description` changes getThing's response");
    assertTrue(result.lines.get(0).contains("getThing: responses"), result.lines.get(0));
    assertTrue(result.docs.isEmpty(), "a removed property's text goes with it: " + result.docs);
  }

  @Test
  void stripKeepsNamesAndValuesThatLookLikeDocumentation() throws IOException {
    JsonNode stripped = SpecDocs.strip(SpecDocs.read(write("spec.yaml", SPEC)));
    JsonNode thing = stripped.at("/components/schemas/Thing");
    assertTrue(thing.path("description").isMissingNode(), "the schema's own description goes");
    assertTrue(thing.at("/properties/description/type").isTextual(), "the property `description` stays");
    assertTrue(thing.at("/properties/description/description").isMissingNode());
    assertEquals("description", thing.at("/properties/kind/enum/0").asText(), "enum values stay");
    assertEquals("Things", stripped.at("/info/title").asText());
    assertTrue(stripped.at("/paths/~1things~1{id}/get/summary").isMissingNode());
    assertTrue(stripped.at("/paths/~1things~1{id}/get/responses/200/content/application~1json/example")
        .isMissingNode());
  }
}
