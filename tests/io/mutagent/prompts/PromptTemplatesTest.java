package io.mutagent.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.internal.Json;
import io.mutagent.models.MessageRole;
import io.mutagent.models.Prompt;
import io.mutagent.models.PromptMessage;
import io.mutagent.models.PromptVariable;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Filling a prompt locally: every placeholder form the spec's PromptVariable description allows,
 * defaults, required and optional variables, ignored extra values, and the spec's own filled
 * example ({@code x-mutagent-filled-example} on the Prompt schema).
 */
class PromptTemplatesTest {
  static final String SPEC = System.getProperty("mutagent.spec", "openapi/mutagent.yaml");

  static PromptVariable variable(String name, boolean required, String defaultValue) {
    PromptVariable.Builder builder = PromptVariable.builder().name(name).required(required);
    return defaultValue == null ? builder.build() : builder.defaultValue(defaultValue).build();
  }

  static final List<PromptVariable> VARIABLES = List.of(
      variable("name", true, null),
      variable("Name", false, null),
      variable("tone", true, "friendly"),
      variable("footer", false, "bye"),
      variable("extra", false, null));

  static String fill(String text, Map<String, String> values) {
    return PromptTemplates.fillText(text, VARIABLES, values);
  }

  @Test
  void theSpecExampleFilledIsWhatTheSpecSays() throws Exception {
    OpenAPI api = new OpenAPIV3Parser().read(SPEC);
    Object example = api.getPaths().get("/api/prompt/{promptId}").getGet().getResponses().get("200")
        .getContent().get("application/json").getExample();
    Prompt prompt = Json.gson().fromJson(io.swagger.v3.core.util.Json.mapper().writeValueAsString(example), Prompt.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> filled = (Map<String, Object>) api.getComponents().getSchemas().get("Prompt")
        .getExtensions().get("x-mutagent-filled-example");
    @SuppressWarnings("unchecked")
    Map<String, String> values = (Map<String, String>) filled.get("values");
    @SuppressWarnings("unchecked")
    List<Map<String, String>> messages = (List<Map<String, String>>) filled.get("messages");

    FilledPrompt result = PromptTemplates.fill(prompt, values);

    assertEquals(filled.get("content"), result.content());
    assertEquals(messages.size(), result.messages().size());
    for (int i = 0; i < messages.size(); i++) {
      assertEquals(messages.get(i).get("role"), result.messages().get(i).role().value());
      assertEquals(messages.get(i).get("content"), result.messages().get(i).content());
    }
    assertEquals(prompt.id(), result.promptId().orElseThrow());
    assertEquals(prompt.latestVersion(), result.version().getAsInt());
  }

  @Test
  void aPlaceholderWithOrWithoutSpacesIsReplacedEverywhere() {
    Map<String, String> values = Map.of("name", "Ada");
    assertEquals("Hi Ada", fill("Hi {{name}}", values));
    assertEquals("Hi Ada", fill("Hi {{ name }}", values));
    assertEquals("Hi Ada", fill("Hi {{   name}}", values));
    assertEquals("Hi Ada", fill("Hi {{name    }}", values));
    assertEquals("Ada, Ada and Ada", fill("{{name}}, {{ name}} and {{name }}", values));
    assertEquals("AdaAda", fill("{{name}}{{name}}", values));
    assertEquals("Ada", fill("{{name}}", values));
  }

  @Test
  void namesAreCaseSensitive() {
    assertEquals("Ada/Lovelace", fill("{{name}}/{{Name}}", Map.of("name", "Ada", "Name", "Lovelace")));
    assertEquals("Ada/", fill("{{name}}/{{Name}}", Map.of("name", "Ada")));
    assertEquals("{{NAME}}", fill("{{NAME}}", Map.of("name", "Ada", "NAME", "x")));
  }

  @Test
  void textThatNamesNoVariableStaysAsWritten() {
    Map<String, String> values = Map.of("name", "Ada");
    assertEquals("{{unknown}} Ada", fill("{{unknown}} {{name}}", values));
    assertEquals("{{}} {{ }} Ada", fill("{{}} {{ }} {{name}}", values));
    assertEquals("{{na me}}", fill("{{na me}}", values));
    assertEquals("{{\tname}}", fill("{{\tname}}", values)); // only spaces may pad a name
    assertEquals("{name}", fill("{name}", values));
    assertEquals("{{name", fill("{{name", values));
    assertEquals("name}}", fill("name}}", values));
    assertEquals("{Ada}", fill("{{{name}}}", values));
    assertEquals("{{{{ Ada", fill("{{{{ {{name}}", values));
    assertEquals("no placeholders", fill("no placeholders", values));
    assertEquals("", fill("", values));
  }

  @Test
  void aValueIsInsertedAsIsAndNotReadAgain() {
    assertEquals("{{tone}} $1 \\n", fill("{{name}}", Map.of("name", "{{tone}} $1 \\n")));
    assertEquals("", fill("{{name}}", Map.of("name", "")));
  }

  @Test
  void aMissingVariableTakesItsDefaultElseEmptyIfOptional() {
    assertEquals("Ada friendly bye ", fill("{{name}} {{tone}} {{footer}} {{extra}}", Map.of("name", "Ada")));
    assertEquals("Ada calm ciao x", fill("{{name}} {{tone}} {{footer}} {{extra}}",
        Map.of("name", "Ada", "tone", "calm", "footer", "ciao", "extra", "x")));
  }

  @Test
  void aMissingRequiredVariableWithoutDefaultFailsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fill("Hello", Map.of("tone", "calm")));
    assertTrue(e.getMessage().contains("'name'"), e.getMessage());
    List<PromptVariable> two = List.of(variable("a", true, null), variable("b", true, null));
    e = assertThrows(IllegalArgumentException.class, () -> PromptTemplates.fillText("{{a}}{{b}}", two, Map.of()));
    assertTrue(e.getMessage().contains("'a', 'b'"), e.getMessage());
  }

  @Test
  void valuesForNamesThatAreNotVariablesAreIgnored() {
    assertEquals("Ada {{other}}", fill("{{name}} {{other}}", Map.of("name", "Ada", "other", "ignored")));
  }

  @Test
  void badArgumentsAreRefusedWithTheirName() {
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("name", null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fill("{{name}}", nullValue));
    assertTrue(e.getMessage().contains("'name'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> fill("{{name}}", null));
    assertThrows(IllegalArgumentException.class, () -> PromptTemplates.fillText(null, VARIABLES, Map.of("name", "a")));
    assertThrows(IllegalArgumentException.class, () -> PromptTemplates.fillText("x", null, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> PromptTemplates.fill(null, Map.of()));
  }

  @Test
  void contentAndEveryMessageAreFilledAlike() {
    Prompt prompt = Prompt.builder().id("prm_1").workspaceId("ws_1").name("p")
        .content("Say {{ greeting }} to {{who}}")
        .messages(List.of(
            PromptMessage.builder().role(MessageRole.SYSTEM).content("Greet with {{greeting}}").build(),
            PromptMessage.builder().role(MessageRole.USER).content("I am {{who}}, {{ who }}").build()))
        .variables(List.of(variable("greeting", false, "hello"), variable("who", true, null)))
        .tags(List.of()).status(io.mutagent.models.PromptStatus.ACTIVE).latestVersion(4)
        .createdAt(OffsetDateTime.parse("2026-01-01T00:00:00Z")).updatedAt(OffsetDateTime.parse("2026-01-01T00:00:00Z"))
        .build();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("who", "Bo");
    FilledPrompt filled = PromptTemplates.fill(prompt, values);
    assertEquals("Say hello to Bo", filled.content());
    assertEquals("Greet with hello", filled.messages().get(0).content());
    assertEquals(MessageRole.SYSTEM, filled.messages().get(0).role());
    assertEquals("I am Bo, Bo", filled.messages().get(1).content());
    assertEquals(4, filled.version().getAsInt());
    assertTrue(PromptTemplates.fill(prompt.toBuilder().messages(null).build(), values).messages().isEmpty());
    assertTrue(filled.toString().contains("prm_1") && !filled.toString().contains("Bo"), filled.toString());
  }

  @Test
  void aFallbackFromContentHasItsPlaceholdersAsOptionalVariables() {
    Prompt fallback = PromptTemplates.fromContent("Hi {{ user }}, {{user}} asks {{question}}; {{}} {{ }} stay");
    assertEquals(List.of("user", "question"), fallback.variables().stream().map(PromptVariable::name).collect(java.util.stream.Collectors.toList()));
    assertEquals("Hi Ada, Ada asks ; {{}} {{ }} stay", PromptTemplates.fill(fallback, Map.of("user", "Ada")).content());
    assertTrue(PromptTemplates.fill(fallback, Map.of()).promptId().isEmpty());
    assertThrows(io.mutagent.errors.MutagentInvalidDataException.class, fallback::id);
    assertThrows(IllegalArgumentException.class, () -> PromptTemplates.fromContent(null));
  }
}
