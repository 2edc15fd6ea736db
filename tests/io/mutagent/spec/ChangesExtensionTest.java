package io.mutagent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code x-mutagent-changes}, which makes a write tell the client's prompt caches: on exactly the
 * operations that change what {@code getPrompt} answers, each naming a path parameter it has.
 */
class ChangesExtensionTest {
  static final String SPEC = System.getProperty("mutagent.spec", "openapi/mutagent.yaml");

  @Test
  void theWritesThatChangeAPromptCarryTheExtensionNamingTheirIdParameter() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    OpenAPI api = new OpenAPIV3Parser().read(SPEC, null, options);
    TreeSet<String> marked = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
      for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
        Operation operation = op.getValue();
        Object extension = operation.getExtensions() == null ? null : operation.getExtensions().get("x-mutagent-changes");
        if (extension == null) {
          continue;
        }
        marked.add(operation.getOperationId());
        @SuppressWarnings("unchecked")
        Map<String, Object> change = (Map<String, Object>) extension;
        if (!"prompt".equals(change.get("resource"))) {
          problems.add(operation.getOperationId() + ": resource must be prompt (the only kind a cache holds)");
        }
        boolean hasParam = false;
        List<Parameter> parameters = new ArrayList<>();
        if (operation.getParameters() != null) {
          parameters.addAll(operation.getParameters());
        }
        for (Parameter parameter : parameters) {
          Parameter resolved = parameter.get$ref() == null ? parameter
              : api.getComponents().getParameters().get(parameter.get$ref().replaceFirst(".*/", ""));
          hasParam |= "path".equals(resolved.getIn()) && resolved.getName().equals(change.get("id"));
        }
        if (!hasParam) {
          problems.add(operation.getOperationId() + ": id " + change.get("id") + " is not a path parameter of it");
        }
      }
    }
    assertEquals(List.of(), problems);
    assertEquals(new TreeSet<>(List.of("createPromptVersion", "deletePrompt", "updatePrompt")), marked);
    assertTrue(api.getInfo().getDescription().contains("x-mutagent-changes"), "the extension is documented");
  }
}
