package io.mutagent.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The operations of {@code openapi/mutagent.yaml} with the examples a contract test needs. */
final class SpecOperations {
  private static List<Op> operations;

  /** One operation: where it lives, its namespace, and the spec's example inputs and output. */
  record Op(String operationId, String tag, String method, String path, Pattern route,
      Map<String, String> pathExamples, Map<String, String> queryExamples,
      JsonElement requestExample, int successStatus, JsonElement responseExample) {

    String describe() {
      return operationId + " (" + method + " " + path + ")";
    }

    boolean matches(String requestMethod, String requestPath) {
      return method.equals(requestMethod) && route.matcher(requestPath).matches();
    }
  }

  private SpecOperations() {}

  static synchronized List<Op> all() {
    if (operations == null) {
      operations = Collections.unmodifiableList(load());
    }
    return operations;
  }

  static Op byId(String operationId) {
    return all().stream().filter(op -> op.operationId().equals(operationId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the spec has no operation " + operationId));
  }

  private static List<Op> load() {
    ParseOptions options = new ParseOptions();
    options.setResolveFully(true);
    OpenAPI api = new OpenAPIV3Parser()
        .read(System.getProperty("mutagent.spec", "openapi/mutagent.yaml"), null, options);
    List<Op> ops = new ArrayList<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
      Map<String, String> pathExamples = new LinkedHashMap<>();
      Map<String, String> queryExamples = new LinkedHashMap<>();
      for (Parameter parameter : parameters(operation)) {
        Object example = parameter.getExample() != null ? parameter.getExample()
            : parameter.getSchema() == null ? null : parameter.getSchema().getExample();
        if ("path".equals(parameter.getIn())) {
          pathExamples.put(parameter.getName(), String.valueOf(example));
        } else if ("query".equals(parameter.getIn()) && example != null) {
          queryExamples.put(parameter.getName(), String.valueOf(example));
        }
      }
      JsonElement requestExample = null;
      if (operation.getRequestBody() != null) {
        MediaType json = operation.getRequestBody().getContent().get("application/json");
        requestExample = json == null ? null : toJson(json.getExample());
      }
      String success = operation.getResponses().keySet().stream().filter(code -> code.startsWith("2"))
          .findFirst().orElseThrow(() -> new IllegalStateException(operation.getOperationId() + " has no 2xx"));
      ApiResponse response = operation.getResponses().get(success);
      JsonElement responseExample = response.getContent() == null ? null
          : toJson(response.getContent().get("application/json").getExample());
      Pattern route = Pattern.compile(path.replaceAll("\\{[^}]+}", "[^/]+"));
      ops.add(new Op(operation.getOperationId(), operation.getTags().get(0), method.name(), path,
          route, pathExamples, queryExamples, requestExample, Integer.parseInt(success), responseExample));
    }));
    return ops;
  }

  private static List<Parameter> parameters(Operation operation) {
    return operation.getParameters() == null ? List.of() : operation.getParameters();
  }

  private static JsonElement toJson(Object example) {
    if (example == null) {
      return null;
    }
    try {
      return JsonParser.parseString(io.swagger.v3.core.util.Json.mapper().writeValueAsString(example));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an example in the spec is not JSON: " + example, e);
    }
  }
}
