package io.mutagent.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The operations of {@code openapi/mutagent.yaml} with the examples a contract test needs. */
final class SpecOperations {
  private static List<Op> operations;

  /** One operation: where it lives, its namespace, and the spec's example inputs and output. */
  record Op(String operationId, String tag, String method, String path, Pattern route,
      Map<String, String> pathExamples, Map<String, String> queryExamples,
      JsonElement requestExample, int successStatus, JsonElement responseExample, Binary binary,
      List<String> waitMethods) {

    String describe() {
      return operationId + " (" + method + " " + path + ")";
    }

    /** The facade methods that call this operation: its operationId, and its binary-body method if any. */
    List<String> facadeMethods() {
      return binary == null ? List.of(operationId) : List.of(operationId, binary.method());
    }

    boolean matches(String requestMethod, String requestPath) {
      return method.equals(requestMethod) && route.matcher(requestPath).matches();
    }
  }

  /**
   * The binary-body variant of an operation marked {@code x-mutagent-binary-body}: its facade
   * method, media type, and the spec's examples of that media type (one character per byte).
   */
  record Binary(String method, String mediaType, byte[] requestExample, byte[] responseExample) {}

  private SpecOperations() {}

  /** Returns the operation a facade method calls: its own, or the one whose binary-body method it is. */
  static Op byFacadeMethod(String name) {
    return all().stream().filter(op -> op.facadeMethods().contains(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the spec has no operation for the method " + name));
  }

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
    OpenAPI api = new OpenAPIV3Parser().read(specLocation(), null, options);
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
          route, pathExamples, queryExamples, requestExample, Integer.parseInt(success), responseExample,
          binary(operation, "/paths/" + pointer(path) + "/" + method.name().toLowerCase(Locale.ROOT), success),
          waitMethods(operation)));
    }));
    return ops;
  }

  /**
   * The waiting methods of an operation marked {@code x-mutagent-job}: {@code <op>AndWait} and
   * {@code waitFor<Name>}; none for another operation.
   */
  private static List<String> waitMethods(Operation operation) {
    Object extension = operation.getExtensions() == null ? null : operation.getExtensions().get("x-mutagent-job");
    if (extension == null) {
      return List.of();
    }
    String name = String.valueOf(((Map<?, ?>) extension).get("name"));
    return List.of(operation.getOperationId() + "AndWait",
        "waitFor" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
  }

  private static Binary binary(Operation operation, String operationPointer, String success) {
    Object extension = operation.getExtensions() == null ? null
        : operation.getExtensions().get("x-mutagent-binary-body");
    if (extension == null) {
      return null;
    }
    Map<?, ?> binary = (Map<?, ?>) extension;
    String mediaType = (String) binary.get("mediaType");
    String content = "/content/" + pointer(mediaType) + "/example";
    return new Binary(operation.getOperationId() + binary.get("methodSuffix"), mediaType,
        binaryExample(operationPointer + "/requestBody" + content),
        binaryExample(operationPointer + "/responses/" + success + content));
  }

  /**
   * A binary example, read from the YAML as written (the parser would turn it into bytes in the
   * platform's charset): one character per byte.
   *
   * @throws IllegalStateException if the spec has none there
   */
  static byte[] binaryExample(String jsonPointer) {
    try {
      JsonNode example = io.swagger.v3.core.util.Yaml.mapper().readTree(new File(specLocation())).at(jsonPointer);
      if (!example.isTextual()) {
        throw new IllegalStateException("the spec has no binary example (a string) at " + jsonPointer);
      }
      return example.textValue().getBytes(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pointer(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private static String specLocation() {
    return System.getProperty("mutagent.spec", "openapi/mutagent.yaml");
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
