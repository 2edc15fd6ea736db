package io.mutagent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.tags.Tag;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules for {@code openapi/mutagent.yaml}, checked with Swagger Parser (the parser the
 * generator itself uses). Each failure names the operation ({@code METHOD /path (operationId)})
 * and the rule it breaks. Spectral, run by {@code make test}, checks that examples match schemas.
 */
class SpecRulesTest {
  static final List<String> ERROR_CODES = List.of("400", "401", "403", "404", "429", "500");
  static final List<String> RATE_LIMIT_HEADERS =
      List.of("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset");
  static final List<String> SCOPE_HEADERS = List.of("x-workspace-id", "x-organization-id");

  static SwaggerParseResult result;
  static OpenAPI api;

  @BeforeAll
  static void parse() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    options.setValidateExternalRefs(true);
    result = new OpenAPIV3Parser().readLocation(specLocation(), null, options);
    api = result.getOpenAPI();
    assertNotNull(api, "Swagger Parser could not read " + specLocation() + ": " + result.getMessages());
  }

  static String specLocation() {
    return System.getProperty("mutagent.spec", "openapi/mutagent.yaml");
  }

  /** One operation of the spec with the name every message uses for it. */
  record Op(String method, String path, Operation operation) {
    String name() {
      return method + " " + path + " (" + (operation.getOperationId() == null
          ? "no operationId" : operation.getOperationId()) + ")";
    }
  }

  static List<Op> operations() {
    List<Op> ops = new ArrayList<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach(
        (method, operation) -> ops.add(new Op(method.name(), path, operation))));
    return ops;
  }

  static void assertNoProblems(String rule, List<String> problems) {
    assertTrue(problems.isEmpty(),
        rule + ":\n  " + String.join("\n  ", problems));
  }

  @Test
  void parsesWithoutMessages() {
    assertEquals(List.of(), result.getMessages(), "Swagger Parser reported problems in " + specLocation());
    assertEquals("3.0.3", api.getOpenapi());
  }

  @Test
  void everyOperationHasAUniqueOperationIdSummaryAndDescription() {
    List<String> problems = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (Op op : operations()) {
      String id = op.operation().getOperationId();
      if (id == null || !id.matches("[a-z][A-Za-z0-9]*")) {
        problems.add(op.name() + ": needs an operationId in lowerCamelCase, named as a Java user calls it");
      } else if (seen.put(id, op.name()) != null) {
        problems.add(op.name() + ": operationId also used by " + seen.get(id));
      }
      if (isBlank(op.operation().getSummary())) {
        problems.add(op.name() + ": has no summary");
      }
      if (isBlank(op.operation().getDescription())) {
        problems.add(op.name() + ": has no description");
      }
    }
    assertNoProblems("operationId, summary and description", problems);
  }

  /**
   * The namespaces are the spec's top-level tags: each becomes {@code client.<tag>()} on both
   * clients through the generated accessors, so a new tag is a new namespace with no hand edit.
   * A tag must therefore be a lowerCamelCase Java name, with a description for the Javadoc.
   */
  @Test
  void everyOperationHasExactlyOneNamespaceTag() {
    Set<String> namespaces = api.getTags() == null ? Set.of()
        : api.getTags().stream().map(Tag::getName).collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    for (Tag tag : api.getTags() == null ? List.<Tag>of() : api.getTags()) {
      if (!tag.getName().matches("[a-z][a-zA-Z0-9]*")) {
        problems.add("tag " + tag.getName() + ": a namespace becomes client." + tag.getName()
            + "(), so it must be a lowerCamelCase Java name");
      }
      if (tag.getDescription() == null || tag.getDescription().isBlank()) {
        problems.add("tag " + tag.getName() + ": no description (it becomes the accessor's Javadoc)");
      }
    }
    for (Op op : operations()) {
      List<String> tags = op.operation().getTags();
      if (tags == null || tags.size() != 1 || !namespaces.contains(tags.get(0))) {
        problems.add(op.name() + ": tags " + tags + ", wants exactly one of the top-level tags "
            + new TreeSet<>(namespaces));
      }
    }
    assertNoProblems("one namespace tag per operation", problems);
  }

  @Test
  void everyOperationListsTheSixErrorResponses() {
    List<String> problems = new ArrayList<>();
    for (Op op : operations()) {
      for (String code : ERROR_CODES) {
        ApiResponse response = op.operation().getResponses().get(code);
        if (response == null) {
          problems.add(op.name() + ": no " + code + " response");
        } else if (!schemaTitleIsError(response)) {
          problems.add(op.name() + ": response " + code + " is not application/json with the Error schema");
        }
      }
    }
    assertNoProblems("the six error responses (400/401/403/404/429/500)", problems);
  }

  private static boolean schemaTitleIsError(ApiResponse response) {
    if (response.getContent() == null || response.getContent().get("application/json") == null) {
      return false;
    }
    Schema<?> schema = response.getContent().get("application/json").getSchema();
    return schema != null && schema.getProperties() != null
        && schema.getProperties().keySet().containsAll(List.of("error", "message"))
        && schema.getRequired() != null && schema.getRequired().containsAll(List.of("error", "message"));
  }

  @Test
  void everyResponseWithABodyHasAnExample() {
    List<String> problems = new ArrayList<>();
    for (Op op : operations()) {
      op.operation().getResponses().forEach((code, response) -> {
        if (response.getContent() == null) {
          if (!code.equals("204")) {
            problems.add(op.name() + ": response " + code + " has no content (only 204 may be empty)");
          }
          return;
        }
        response.getContent().forEach((mediaType, media) -> {
          if (!hasExample(media)) {
            problems.add(op.name() + ": response " + code + " " + mediaType + " has no example");
          }
        });
      });
    }
    assertNoProblems("an example on every response", problems);
  }

  @Test
  void everyRequestBodyHasAnExample() {
    List<String> problems = new ArrayList<>();
    for (Op op : operations()) {
      if (op.operation().getRequestBody() == null) {
        continue;
      }
      op.operation().getRequestBody().getContent().forEach((mediaType, media) -> {
        boolean binary = media.getSchema() != null && "binary".equals(media.getSchema().getFormat());
        if (!binary && !hasExample(media)) {
          problems.add(op.name() + ": request body " + mediaType + " has no example");
        }
      });
    }
    assertNoProblems("an example on every JSON request body", problems);
  }

  private static boolean hasExample(MediaType media) {
    return media.getExample() != null
        || (media.getExamples() != null && !media.getExamples().isEmpty())
        || (media.getSchema() != null && media.getSchema().getExample() != null);
  }

  @Test
  void everyOperationTakesTheScopeHeaders() {
    List<String> problems = new ArrayList<>();
    for (Op op : operations()) {
      Map<String, Parameter> headers = new HashMap<>();
      if (op.operation().getParameters() != null) {
        op.operation().getParameters().stream().filter(p -> "header".equals(p.getIn()))
            .forEach(p -> headers.put(p.getName().toLowerCase(), p));
      }
      for (String name : SCOPE_HEADERS) {
        Parameter p = headers.get(name);
        if (p == null) {
          problems.add(op.name() + ": no " + name + " header parameter");
        } else if (Boolean.TRUE.equals(p.getRequired())) {
          problems.add(op.name() + ": " + name + " must be optional (only some key scopes need it)");
        } else if (p.getExtensions() == null
            || !Boolean.TRUE.equals(p.getExtensions().get("x-mutagent-client-header"))) {
          problems.add(op.name() + ": " + name + " lacks x-mutagent-client-header: true");
        }
      }
    }
    assertNoProblems("the scope headers on every operation", problems);
  }

  @Test
  void everyWriteTakesAnIdempotencyKeyAndNoOtherOperationDoes() {
    List<String> problems = new ArrayList<>();
    for (Op op : operations()) {
      boolean write = op.method().equals("POST") || op.method().equals("PATCH");
      Parameter key = op.operation().getParameters() == null ? null : op.operation().getParameters().stream()
          .filter(p -> "header".equals(p.getIn()) && "Idempotency-Key".equalsIgnoreCase(p.getName()))
          .findFirst().orElse(null);
      if (write && key == null) {
        problems.add(op.name() + ": a " + op.method() + " without the Idempotency-Key header parameter "
            + "(add - $ref: '#/components/parameters/IdempotencyKeyHeader'); the SDK retries writes only with one");
      } else if (write && (key.getExtensions() == null
          || !Boolean.TRUE.equals(key.getExtensions().get("x-mutagent-client-header")))) {
        problems.add(op.name() + ": Idempotency-Key lacks x-mutagent-client-header: true");
      } else if (!write && key != null) {
        problems.add(op.name() + ": Idempotency-Key on a " + op.method() + ", which is idempotent already");
      }
    }
    assertNoProblems("Idempotency-Key on every POST and PATCH", problems);
  }

  @Test
  void everyResponseCarriesRateLimitHeadersAndA429CarriesRetryAfter() {
    List<String> problems = new ArrayList<>();
    for (Op op : operations()) {
      op.operation().getResponses().forEach((code, response) -> {
        Set<String> names = response.getHeaders() == null ? Set.of() : response.getHeaders().keySet();
        List<String> wanted = new ArrayList<>(RATE_LIMIT_HEADERS);
        wanted.add("X-Request-Id");
        if (code.equals("429")) {
          wanted.add("Retry-After");
        }
        for (String header : wanted) {
          if (!names.contains(header)) {
            problems.add(op.name() + ": response " + code + " lacks the " + header + " header");
          }
        }
      });
    }
    assertNoProblems("rate-limit and request-id headers", problems);
  }

  @Test
  void bothAuthMethodsAreDeclaredAndRequired() {
    var schemes = api.getComponents().getSecuritySchemes();
    assertEquals("x-api-key", schemes.get("ApiKeyAuth").getName());
    assertEquals("bearer", schemes.get("BearerAuth").getScheme());
    Set<String> global = new LinkedHashSet<>();
    api.getSecurity().forEach(requirement -> global.addAll(requirement.keySet()));
    assertEquals(Set.of("ApiKeyAuth", "BearerAuth"), global);
    List<String> problems = new ArrayList<>();
    for (Op op : operations()) {
      if (op.operation().getSecurity() != null) {
        problems.add(op.name() + ": overrides the global security; every operation takes both methods");
      }
    }
    assertNoProblems("both auth methods on every operation", problems);
  }

  @Test
  @SuppressWarnings("rawtypes") // swagger-models hands out a raw Schema map (the lambda's entries)
  void everyListOperationIsPaginatedTheSameWay() {
    List<String> problems = new ArrayList<>();
    for (Op op : operations()) {
      String id = String.valueOf(op.operation().getOperationId());
      boolean marked = op.operation().getExtensions() != null
          && op.operation().getExtensions().containsKey("x-mutagent-pagination");
      if (!id.startsWith("list")) {
        if (marked) {
          problems.add(op.name() + ": is marked paginated but is not a list operation");
        }
        continue;
      }
      if (!marked) {
        problems.add(op.name() + ": list operation without x-mutagent-pagination");
      }
      Set<String> query = op.operation().getParameters() == null ? Set.of()
          : op.operation().getParameters().stream().filter(p -> "query".equals(p.getIn()))
              .map(Parameter::getName).collect(Collectors.toSet());
      if (!query.containsAll(List.of("page", "limit"))) {
        problems.add(op.name() + ": list operation without the page and limit query parameters");
      }
      var ok = op.operation().getResponses().get("200");
      Schema<?> schema = ok == null || ok.getContent() == null ? null
          : ok.getContent().get("application/json").getSchema();
      if (schema == null || schema.getProperties() == null
          || !schema.getProperties().containsKey("data")
          || !schema.getProperties().containsKey("pagination")) {
        problems.add(op.name() + ": 200 body is not a page envelope {data, pagination}");
      } else if (marked) {
        // The SDK's pagers are typed by itemSchema; it must name the schema of the envelope's items.
        @SuppressWarnings("unchecked")
        Map<String, Object> pagination = (Map<String, Object>) op.operation().getExtensions().get("x-mutagent-pagination");
        Object itemSchema = pagination.get("itemSchema");
        // The parser resolves $refs fully, so the named schema is found by equality.
        Object items = ((io.swagger.v3.oas.models.media.Schema<?>) schema.getProperties().get("data")).getItems();
        String actual = api.getComponents().getSchemas().entrySet().stream()
            .filter(e -> e.getValue().equals(items)).map(Map.Entry::getKey).findFirst().orElse(null);
        if (!"data".equals(pagination.get("itemsField"))) {
          problems.add(op.name() + ": x-mutagent-pagination.itemsField must be data");
        }
        if (actual == null || !actual.equals(itemSchema)) {
          problems.add(op.name() + ": x-mutagent-pagination.itemSchema is " + itemSchema
              + ", but the page's data items are " + actual + "; set itemSchema: " + actual);
        }
      }
    }
    assertNoProblems("pagination", problems);
  }

  /** The operations that start a job: each carries x-mutagent-job (see the spec's info description). */
  static final Set<String> JOB_STARTERS = Set.of("startOptimization", "runEvaluation", "createExperiment");

  @Test
  @SuppressWarnings("unchecked") // the extension is read as the parser hands it: maps and lists
  void everyJobNamesOperationsThatExistAndStatesOfItsStatusEnum() {
    List<String> problems = new ArrayList<>();
    Map<String, Op> byId = new HashMap<>();
    for (Op op : operations()) {
      byId.put(String.valueOf(op.operation().getOperationId()), op);
    }
    Set<String> marked = new TreeSet<>();
    for (Op op : operations()) {
      Object extension = op.operation().getExtensions() == null ? null
          : op.operation().getExtensions().get("x-mutagent-job");
      if (extension == null) {
        continue;
      }
      marked.add(op.operation().getOperationId());
      Map<String, Object> job = (Map<String, Object>) extension;
      String name = String.valueOf(job.get("name"));
      if (!name.matches("[a-z][A-Za-z0-9]*")) {
        problems.add(op.name() + ": x-mutagent-job.name must be a lowerCamelCase word, not " + name);
      }
      Op status = byId.get(String.valueOf(job.get("statusOperation")));
      if (status == null) {
        problems.add(op.name() + ": x-mutagent-job.statusOperation " + job.get("statusOperation") + " is no operation");
        continue;
      }
      if (!"GET".equals(status.method())) {
        problems.add(status.name() + ": a job's statusOperation must be a GET");
      }
      if (!tags(status).equals(tags(op))) {
        problems.add(status.name() + ": a job's statusOperation must be in the tag of " + op.name());
      }
      Schema<?> started = okSchema(op);
      Schema<?> read = okSchema(status);
      if (started == null || !started.equals(read)) {
        problems.add(op.name() + ": answers with another schema than its statusOperation " + status.name());
        continue;
      }
      if (read.getProperties() == null || !read.getProperties().containsKey(String.valueOf(job.get("idField")))) {
        problems.add(op.name() + ": x-mutagent-job.idField " + job.get("idField") + " is no property of the answer");
      }
      Schema<?> statusField = read.getProperties() == null ? null : read.getProperties().get(String.valueOf(job.get("statusField")));
      List<String> values = statusField == null || statusField.getEnum() == null ? List.of()
          : statusField.getEnum().stream().map(String::valueOf).collect(Collectors.toList());
      if (values.isEmpty()) {
        problems.add(op.name() + ": x-mutagent-job.statusField " + job.get("statusField") + " is no enum property");
        continue;
      }
      Set<String> seen = new TreeSet<>();
      for (String list : List.of("runningStates", "pausedStates", "completedStates", "failedStates", "cancelledStates")) {
        Object states = job.get(list);
        if (states == null && !list.equals("runningStates") && !list.equals("completedStates")) {
          continue;
        }
        if (!(states instanceof List) || ((List<Object>) states).isEmpty()) {
          problems.add(op.name() + ": x-mutagent-job." + list + " must be a list of states");
          continue;
        }
        for (Object state : (List<Object>) states) {
          if (!values.contains(String.valueOf(state))) {
            problems.add(op.name() + ": x-mutagent-job." + list + " names " + state + ", not a value of "
                + job.get("statusField") + " " + values);
          }
          if (!list.equals("pausedStates") && !seen.add(String.valueOf(state))) {
            problems.add(op.name() + ": x-mutagent-job state " + state + " is in two lists");
          }
        }
      }
      Object paused = job.get("pausedStates");
      if (paused != null && !((List<Object>) job.get("runningStates")).containsAll((List<Object>) paused)) {
        problems.add(op.name() + ": x-mutagent-job.pausedStates must be running states too");
      }
      if (!seen.containsAll(values)) {
        problems.add(op.name() + ": x-mutagent-job leaves states of " + values + " out of its lists");
      }
      for (String named : List.of("resultOperation", "cancelOperation")) {
        Object other = job.get(named);
        if (other != null && (byId.get(String.valueOf(other)) == null
            || !tags(byId.get(String.valueOf(other))).equals(tags(op)))) {
          problems.add(op.name() + ": x-mutagent-job." + named + " " + other + " is no operation of its tag");
        }
      }
      Object progress = job.get("progress");
      if (progress != null) {
        Map<String, Object> reading = (Map<String, Object>) progress;
        Op progressOp = byId.get(String.valueOf(reading.get("operation")));
        Schema<?> points = progressOp == null || okSchema(progressOp) == null || okSchema(progressOp).getProperties() == null
            ? null : okSchema(progressOp).getProperties().get(String.valueOf(reading.get("pointsField")));
        if (progressOp == null || !tags(progressOp).equals(tags(op))) {
          problems.add(op.name() + ": x-mutagent-job.progress.operation " + reading.get("operation") + " is no operation of its tag");
        } else if (points == null || points.getItems() == null || points.getItems().getProperties() == null
            || !points.getItems().getProperties().containsKey(String.valueOf(reading.get("pointIterationField")))
            || !points.getItems().getProperties().containsKey(String.valueOf(reading.get("pointScoreField")))) {
          problems.add(progressOp.name() + ": has no list " + reading.get("pointsField") + " of points with "
              + reading.get("pointIterationField") + " and " + reading.get("pointScoreField"));
        }
        for (String field : List.of("iterationField", "maxIterationsField", "bestScoreField")) {
          if (!read.getProperties().containsKey(String.valueOf(reading.get(field)))) {
            problems.add(op.name() + ": x-mutagent-job.progress." + field + " " + reading.get(field) + " is no property of "
                + status.name() + "'s answer");
          }
        }
      }
    }
    if (!marked.equals(new TreeSet<>(JOB_STARTERS))) {
      problems.add("the operations marked x-mutagent-job are " + marked + ", expected " + new TreeSet<>(JOB_STARTERS));
    }
    assertNoProblems("long-running jobs (x-mutagent-job)", problems);
  }

  static List<String> tags(Op op) {
    return op.operation().getTags() == null ? List.of() : op.operation().getTags();
  }

  /** Returns the JSON schema of the operation's success answer (its first 2xx), or null. */
  static Schema<?> okSchema(Op op) {
    for (Map.Entry<String, ApiResponse> response : op.operation().getResponses().entrySet()) {
      if (response.getKey().startsWith("2") && response.getValue().getContent() != null
          && response.getValue().getContent().get("application/json") != null) {
        return response.getValue().getContent().get("application/json").getSchema();
      }
    }
    return null;
  }

  @Test
  void pathsCarryTheApiPrefixAndServersAreProductionAndLocal() {
    List<String> problems = new ArrayList<>();
    for (String path : api.getPaths().keySet()) {
      if (!path.startsWith("/api/")) {
        problems.add(path + ": paths start with /api/ (Prism ignores the path of a server URL)");
      }
    }
    assertNoProblems("the /api prefix", problems);
    assertEquals(List.of("https://api.mutagent.io", "http://localhost:3003"),
        api.getServers().stream().map(s -> s.getUrl()).collect(Collectors.toList()));
  }

  @Test
  @SuppressWarnings({"rawtypes", "unchecked"}) // swagger-models hands out raw Schema maps
  void everyEnumIsANamedSchema() {
    ParseOptions options = new ParseOptions();
    options.setResolve(false);
    OpenAPI unresolved = new OpenAPIV3Parser().readLocation(specLocation(), null, options).getOpenAPI();
    List<String> problems = new ArrayList<>();
    unresolved.getComponents().getSchemas().forEach((name, schema) -> {
      if (schema.getProperties() == null) {
        return;
      }
      Map<String, Schema> properties = schema.getProperties();
      properties.forEach((property, value) -> {
        Schema<?> items = value.getItems();
        if (value.getEnum() != null || (items != null && items.getEnum() != null)) {
          problems.add(name + "." + property + ": inline enum; make it a named schema (an open enum in Java)");
        }
        if ((value.getProperties() != null && !value.getProperties().isEmpty())
            || (items != null && items.getProperties() != null && !items.getProperties().isEmpty())) {
          problems.add(name + "." + property + ": inline object; make it a named schema (a Java model)");
        }
      });
    });
    assertNoProblems("named enums and objects", problems);
  }

  private static boolean isBlank(String s) {
    return s == null || s.trim().isEmpty();
  }
}
