package io.mutagent.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mutagent.AsyncMutagent;
import io.mutagent.KeyScope;
import io.mutagent.Mutagent;
import io.mutagent.RawResponse;
import io.mutagent.RequestOptions;
import io.mutagent.TestClients;
import io.mutagent.contract.ContractRecorder.Exchange;
import io.mutagent.contract.SpecOperations.Op;
import io.mutagent.errors.AuthenticationException;
import io.mutagent.internal.Json;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operation of the spec, through the public facade of both clients, against Prism serving
 * the spec with {@code --errors}. Inputs come from the spec's request examples; the parsed result
 * is compared field by field with the spec's response example (which Prism returns); any Prism
 * violation fails the case, naming the operation and the rule. The last test checks that spec,
 * facades and exercised operations are the same set, and writes the summary line.
 */
@Tag("contract")
@ExtendWith(PrismServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContractTest {
  static final String API_KEY = "mt_contract_test_key";
  static final List<Class<?>> CLIENTS = List.of(Mutagent.class, AsyncMutagent.class);

  final ContractRecorder recorder = new ContractRecorder();
  final Map<String, Set<String>> passed = new ConcurrentHashMap<>();
  final List<String> violations = new CopyOnWriteArrayList<>();
  final Set<String> ownPassed = ConcurrentHashMap.newKeySet();
  OkHttpClient http;
  Mutagent own;
  Mutagent sync;
  AsyncMutagent async;

  @BeforeAll
  void clients() {
    http = new OkHttpClient.Builder().addInterceptor(recorder).build();
    sync = TestClients.mutagent().apiKey(API_KEY).serverUrl(PrismServer.baseUrl()).httpClient(http).build();
    async = TestClients.asyncMutagent().apiKey(API_KEY).serverUrl(PrismServer.baseUrl()).httpClient(http).build();
    own = TestClients.mutagent().apiKey(API_KEY).serverUrl(PrismServer.baseUrl()).build();
  }

  @AfterAll
  void closeClients() {
    sync.close();
    async.close();
    own.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @TestFactory
  @Order(1)
  Stream<DynamicTest> everyOperationThroughMutagent() {
    return cases("Mutagent", sync);
  }

  @TestFactory
  @Order(2)
  Stream<DynamicTest> everyOperationThroughAsyncMutagent() {
    return cases("AsyncMutagent", async);
  }

  /**
   * Every operation once more through a client on the SDK's own OkHttpClient (the two passes
   * above use a recording client of the test's), through the raw-response view: Prism's verdict
   * comes back in the response's own headers.
   */
  @TestFactory
  @Order(2)
  Stream<DynamicTest> everyOperationThroughTheSdksOwnHttpClient() {
    return SpecOperations.all().stream()
        .map(op -> dynamicTest("Mutagent (own OkHttpClient) " + op.describe(), () -> checkOwn(op)));
  }

  void checkOwn(Op op) throws Exception {
    String contractCase = "own:" + op.operationId();
    Object view = namespace(own, op.tag()).getClass().getMethod("withRawResponse").invoke(namespace(own, op.tag()));
    Method method = fullOverload(view.getClass(), op.operationId());
    RawResponse<?> raw;
    try {
      raw = (RawResponse<?>) method.invoke(view, arguments(op, method, RequestOptions.none()));
    } catch (InvocationTargetException e) {
      throw new AssertionError(contractCase + " failed with " + e.getCause(), e.getCause());
    }
    String reported = raw.headers().first("sl-violations").orElse(null);
    if (reported != null) {
      violations.add(contractCase + ": " + reported);
      fail(contractCase + ": Prism reports a contract violation: " + reported);
    }
    assertEquals(op.successStatus(), raw.statusCode(), () -> contractCase + ": status");
    if (op.responseExample() != null) {
      List<String> differences = new ArrayList<>();
      diff("$", op.responseExample(), Json.gson().toJsonTree(raw.body()), differences);
      assertTrue(differences.isEmpty(), () -> contractCase + ": differs from the spec's example:\n  "
          + String.join("\n  ", differences));
    }
    ownPassed.add(op.operationId());
  }

  /**
   * A case per operation, in JSON; and for an operation marked x-mutagent-binary-body, a second
   * case through its binary method, which must send and get back that media type.
   */
  Stream<DynamicTest> cases(String clientName, Object client) {
    return SpecOperations.all().stream().flatMap(op -> {
      DynamicTest json = dynamicTest(clientName + " " + op.describe(),
          () -> check(op, clientName, client, op.operationId(), "application/json"));
      return op.binary() == null ? Stream.of(json) : Stream.of(json, dynamicTest(
          clientName + " " + op.binary().method() + " (" + op.binary().mediaType() + ")",
          () -> check(op, clientName, client, op.binary().method(), op.binary().mediaType())));
    });
  }

  /** Calls the operation through the client's facade method and checks what came back. */
  void check(Op op, String clientName, Object client, String methodName, String mediaType) throws Exception {
    String contractCase = clientName + ":" + methodName;
    RequestOptions options = RequestOptions.builder().header(ContractRecorder.CASE_HEADER, contractCase).build();
    Object service = namespace(client, op.tag());
    Method method = fullOverload(service.getClass(), methodName);
    Object result;
    try {
      result = method.invoke(service, arguments(op, method, options));
      if (result instanceof CompletableFuture) {
        result = ((CompletableFuture<?>) result).get(30, TimeUnit.SECONDS);
      }
    } catch (InvocationTargetException | ExecutionException e) {
      Throwable cause = e.getCause();
      String seen = recorder.last(contractCase).map(ContractTest::describe).orElse("nothing reached Prism");
      String reported = recorder.last(contractCase).map(ContractTest::violationsOf).orElse("");
      if (!reported.isEmpty()) {
        violations.add(contractCase + ": " + reported);
      }
      throw new AssertionError(contractCase + " failed with " + cause + "\n  Prism: " + seen
          + (reported.isEmpty() ? "" : "\n  violations: " + reported), cause);
    }
    Exchange exchange = recorder.last(contractCase)
        .orElseThrow(() -> new AssertionError(contractCase + ": returned without calling the server"));
    assertTrue(op.matches(exchange.method(), exchange.path()), () -> contractCase + " sent "
        + exchange.method() + " " + exchange.path() + "; the spec says " + op.method() + " " + op.path());
    if (exchange.violations() != null) {
      violations.add(contractCase + ": " + violationsOf(exchange));
      fail(contractCase + ": Prism reports a contract violation: " + violationsOf(exchange));
    }
    assertEquals(op.successStatus(), exchange.status(), () -> contractCase + ": status");
    if (exchange.requestType() != null) {
      assertEquals(mediaType, exchange.requestType(), () -> contractCase + ": request body media type");
    }
    if (op.responseExample() != null) {
      assertEquals(mediaType, exchange.responseType(), () -> contractCase + ": response body media type");
    }
    if (op.responseExample() == null) {
      assertEquals(null, result, () -> contractCase + ": an empty response must give no value");
    } else {
      Object parsed = result;
      assertNotNull(parsed, () -> contractCase + ": no body parsed");
      List<String> differences = new ArrayList<>();
      diff("$", op.responseExample(), Json.gson().toJsonTree(parsed), differences);
      assertTrue(differences.isEmpty(), () -> contractCase + ": the parsed " + parsed.getClass().getSimpleName()
          + " differs from the spec's example:\n  " + String.join("\n  ", differences));
    }
    passed.computeIfAbsent(clientName, k -> ConcurrentHashMap.newKeySet()).add(methodName);
  }

  private static void runIfNotRun(boolean notRun, Stream<DynamicTest> cases) {
    if (notRun) {
      cases.forEach(test -> {
        try {
          test.getExecutable().execute();
        } catch (Throwable failed) {
          System.out.println("contract case failed: " + test.getDisplayName() + ": " + failed.getMessage());
        }
      });
    }
  }

  /**
   * The operation methods of a namespace class: its own instance methods, less the views, pagers
   * and chunked bulk methods (x-mutagent-bulk; BulkTest runs them).
   */
  static Set<String> operationMethods(Class<?> service) {
    return Arrays.stream(service.getMethods())
        .filter(m -> m.getDeclaringClass() == service && !Modifier.isStatic(m.getModifiers()))
        .map(Method::getName)
        .filter(n -> !n.equals("withRawResponse") && !n.endsWith("AutoPaging") && !isWaiting(n) && !n.endsWith("InChunks"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Returns the waiting methods of a namespace (x-mutagent-job): {@code <op>AndWait}, {@code waitFor<Name>}. */
  static Set<String> waitingMethods(Class<?> service) {
    return Arrays.stream(service.getMethods())
        .filter(m -> m.getDeclaringClass() == service && !Modifier.isStatic(m.getModifiers()))
        .map(Method::getName).filter(ContractTest::isWaiting)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static boolean isWaiting(String method) {
    return method.endsWith("AndWait") || method.startsWith("waitFor");
  }

  static Object namespace(Object client, String tag) throws Exception {
    try {
      return client.getClass().getMethod(tag).invoke(client);
    } catch (NoSuchMethodException e) {
      throw new AssertionError("the spec has the namespace " + tag + ", "
          + client.getClass().getSimpleName() + " has no " + tag + "()", e);
    }
  }

  /** The overload that takes every argument and ends with RequestOptions. */
  static Method fullOverload(Class<?> service, String operationId) {
    return Arrays.stream(service.getMethods())
        .filter(m -> m.getName().equals(operationId))
        .filter(m -> m.getParameterCount() > 0
            && m.getParameterTypes()[m.getParameterCount() - 1] == RequestOptions.class)
        .max(Comparator.comparingInt(Method::getParameterCount))
        .orElseThrow(() -> new AssertionError("the spec has " + operationId + ", "
            + service.getSimpleName() + " has no " + operationId + "(..., RequestOptions)"));
  }

  static Object[] arguments(Op op, Method method, RequestOptions options) throws Exception {
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    Iterator<String> pathValues = op.pathExamples().values().iterator();
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      if (type == RequestOptions.class) {
        args[i] = options;
      } else if (type == byte[].class) {
        assertNotNull(op.binary().requestExample(), op.describe() + ": the spec has no "
            + op.binary().mediaType() + " request example");
        args[i] = op.binary().requestExample();
      } else if (type == String.class) {
        args[i] = pathValues.next();
      } else if (type.getEnclosingClass() != null && type.getSimpleName().endsWith("Params")) {
        args[i] = queryParams(type, op.queryExamples());
      } else {
        assertNotNull(op.requestExample(), op.describe() + ": the spec has no request example");
        args[i] = Json.gson().fromJson(op.requestExample(), type);
      }
    }
    return args;
  }

  /** Builds the params object from the spec's query-parameter examples. */
  static Object queryParams(Class<?> type, Map<String, String> examples) throws Exception {
    Object builder = type.getMethod("builder").invoke(null);
    for (Map.Entry<String, String> example : examples.entrySet()) {
      Method setter = Arrays.stream(builder.getClass().getMethods())
          .filter(m -> m.getName().equals(example.getKey()) && m.getParameterCount() == 1)
          .findFirst().orElseThrow(() -> new AssertionError(type.getSimpleName()
              + " has no setter for the query parameter " + example.getKey()));
      Class<?> valueType = setter.getParameterTypes()[0];
      Object value = valueType == Integer.class ? Integer.valueOf(example.getValue())
          : valueType == String.class ? example.getValue()
          : valueType.getMethod("of", String.class).invoke(null, example.getValue());
      setter.invoke(builder, value);
    }
    return builder.getClass().getMethod("build").invoke(builder);
  }

  /** Lists where two JSON values differ, by path. */
  static void diff(String path, JsonElement expected, JsonElement actual, List<String> out) {
    if (expected.isJsonObject() && actual.isJsonObject()) {
      JsonObject e = expected.getAsJsonObject();
      JsonObject a = actual.getAsJsonObject();
      Set<String> keys = new TreeSet<>(e.keySet());
      keys.addAll(a.keySet());
      for (String key : keys) {
        if (!a.has(key)) {
          out.add(path + "." + key + ": in the example, missing from the model (" + e.get(key) + ")");
        } else if (!e.has(key)) {
          out.add(path + "." + key + ": not in the example, but the model has " + a.get(key));
        } else {
          diff(path + "." + key, e.get(key), a.get(key), out);
        }
      }
    } else if (expected.isJsonArray() && actual.isJsonArray()) {
      JsonArray e = expected.getAsJsonArray();
      JsonArray a = actual.getAsJsonArray();
      if (e.size() != a.size()) {
        out.add(path + ": " + e.size() + " items in the example, " + a.size() + " in the model");
      }
      for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
        diff(path + "[" + i + "]", e.get(i), a.get(i), out);
      }
    } else if (!expected.equals(actual)) {
      out.add(path + ": example " + expected + ", model " + actual);
    }
  }

  static String describe(Exchange exchange) {
    return exchange.method() + " " + exchange.path() + " -> " + exchange.status();
  }

  /** Renders Prism's sl-violations header as "location [rule]: message" entries. */
  static String violationsOf(Exchange exchange) {
    if (exchange.violations() == null) {
      return "";
    }
    List<String> rendered = new ArrayList<>();
    for (JsonElement element : JsonParser.parseString(exchange.violations()).getAsJsonArray()) {
      JsonObject violation = element.getAsJsonObject();
      List<String> location = new ArrayList<>();
      violation.getAsJsonArray("location").forEach(part -> location.add(part.getAsString()));
      rendered.add(String.join(".", location) + " [" + violation.get("code").getAsString() + "]: "
          + violation.get("message").getAsString());
    }
    return String.join("; ", rendered);
  }

  @Test
  @Order(3)
  void withoutCredentialsPrismsSecurityCheckGivesThe401Class() {
    try (Mutagent anonymous = TestClients.mutagent().serverUrl(PrismServer.baseUrl()).httpClient(http).build()) {
      AuthenticationException e = assertThrows(AuthenticationException.class,
          () -> anonymous.prompt().listPrompts(io.mutagent.services.PromptParams.ListPromptsParams.none(),
              RequestOptions.builder().header(ContractRecorder.CASE_HEADER, "negative:no-credentials").build()));
      assertEquals(401, e.statusCode());
      assertTrue(e.getMessage().contains("No credentials were sent"), e.getMessage());
    }
    Exchange exchange = recorder.last("negative:no-credentials").orElseThrow();
    assertTrue(violationsOf(exchange).contains("Invalid security scheme"), violationsOf(exchange));
  }

  @Test
  @Order(3)
  void aRawRequestMissingARequiredBodyFieldIsReportedByPrism() throws IOException {
    Request request = new Request.Builder()
        .url(PrismServer.baseUrl() + "/api/prompt")
        .header("x-api-key", API_KEY)
        .header(ContractRecorder.CASE_HEADER, "negative:missing-content")
        .post(RequestBody.create("{\"name\":\"No content\"}", MediaType.get("application/json")))
        .build();
    try (Response response = http.newCall(request).execute()) {
      // Prism answers a request violation with the spec's own 400 (the spec defines no 422).
      assertEquals(400, response.code());
    }
    String reported = violationsOf(recorder.last("negative:missing-content").orElseThrow());
    assertEquals("request.body [required]: Request body must have required property 'content'", reported);
  }

  @Test
  @Order(3)
  void anOrganizationKeyWithoutAWorkspaceIsRefusedBeforeAnythingIsSent() {
    int before = recorder.exchanges().size();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestClients.mutagent()
        .apiKey(API_KEY).keyScope(KeyScope.ORGANIZATION).serverUrl(PrismServer.baseUrl()).httpClient(http).build());
    assertTrue(e.getMessage().startsWith("an organization-scoped key needs a workspace id"), e.getMessage());
    assertEquals(before, recorder.exchanges().size(), "nothing may reach Prism");
  }

  /**
   * Spec, facades and contract cases must cover the same operations; writes the summary line to
   * stdout and target/contract-summary.txt.
   */
  @Test
  @Order(4)
  void specFacadesAndContractTestsCoverTheSameOperations() throws IOException {
    // Self-sufficient: when this test runs without the case factories above (run alone, or in
    // another order), it runs their cases first; a failing case then shows in the counts below.
    runIfNotRun(passed.getOrDefault("Mutagent", Set.of()).isEmpty(), everyOperationThroughMutagent());
    runIfNotRun(passed.getOrDefault("AsyncMutagent", Set.of()).isEmpty(), everyOperationThroughAsyncMutagent());
    runIfNotRun(ownPassed.isEmpty(), everyOperationThroughTheSdksOwnHttpClient());
    // Per namespace, the facade methods the spec asks for: each operationId, and the binary-body
    // method of an operation marked x-mutagent-binary-body.
    Map<String, List<String>> specByTag = new LinkedHashMap<>();
    SpecOperations.all().forEach(op -> specByTag.computeIfAbsent(op.tag(), t -> new ArrayList<>()).addAll(op.facadeMethods()));
    List<String> problems = new ArrayList<>();
    for (Class<?> client : CLIENTS) {
      String name = client.getSimpleName();
      Map<String, Class<?>> namespaces = Arrays.stream(client.getMethods())
          .filter(m -> m.getParameterCount() == 0 && m.getReturnType().getPackageName().equals("io.mutagent.services"))
          .collect(Collectors.toMap(Method::getName, Method::getReturnType));
      specByTag.forEach((tag, ids) -> {
        Class<?> service = namespaces.get(tag);
        if (service == null) {
          problems.add("spec has the namespace " + tag + " (" + String.join(", ", ids) + "), " + name + " has no " + tag + "()");
          return;
        }
        Set<String> methods = operationMethods(service);
        Set<String> waits = waitingMethods(service);
        try {
          // The raw-response view offers exactly the same operations, and no waiting methods.
          Class<?> rawView = service.getMethod("withRawResponse").getReturnType();
          Set<String> raw = operationMethods(rawView);
          if (!raw.equals(methods)) {
            problems.add(name + "." + tag + "().withRawResponse() has " + raw + ", the namespace has " + methods);
          }
          if (!waitingMethods(rawView).isEmpty()) {
            problems.add(name + "." + tag + "().withRawResponse() has the waiting methods " + waitingMethods(rawView));
          }
        } catch (NoSuchMethodException e) {
          problems.add(name + "." + tag + "() has no withRawResponse()");
        }
        // The waiting methods of x-mutagent-job, exactly; JobWaitContractTest calls each against Prism.
        Set<String> specWaits = SpecOperations.all().stream().filter(op -> op.tag().equals(tag))
            .flatMap(op -> op.waitMethods().stream()).collect(Collectors.toCollection(TreeSet::new));
        if (!waits.equals(specWaits)) {
          problems.add(name + "." + tag + "() has the waiting methods " + waits + ", the spec's x-mutagent-job asks for " + specWaits);
        }
        ids.stream().filter(id -> !methods.contains(id))
            .forEach(id -> problems.add("spec has " + id + ", " + name + "." + tag + "() has no " + id));
        methods.stream().filter(m -> !ids.contains(m))
            .forEach(m -> problems.add(name + "." + tag + "() has " + m + ", the spec has no such operation in " + tag));
      });
      namespaces.keySet().stream().filter(ns -> !specByTag.containsKey(ns))
          .forEach(ns -> problems.add(name + "." + ns + "() is not a namespace of the spec"));
      Set<String> exercised = recorder.exchanges().stream()
          .filter(x -> x.contractCase() != null && x.contractCase().startsWith(name + ":"))
          .filter(x -> SpecOperations.byFacadeMethod(x.contractCase().substring(name.length() + 1)).matches(x.method(), x.path()))
          .map(x -> x.contractCase().substring(name.length() + 1))
          .collect(Collectors.toSet());
      SpecOperations.all().stream().flatMap(op -> op.facadeMethods().stream()).filter(id -> !exercised.contains(id))
          .forEach(id -> problems.add("no contract test called " + id + " through " + name));
    }
    int total = SpecOperations.all().size();
    long both = SpecOperations.all().stream()
        .filter(op -> CLIENTS.stream().allMatch(c -> passed.getOrDefault(c.getSimpleName(), Set.of())
            .containsAll(op.facadeMethods())))
        .count();
    String summary = String.format("contract: %d/%d operations × %d clients, %d/%d on the SDK's own OkHttpClient, %d violations",
        both, total, CLIENTS.size(), ownPassed.size(), total, violations.size());
    System.out.println(summary);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/contract-summary.txt"), summary + "\n"
        + problems.stream().map(p -> "  " + p + "\n").collect(Collectors.joining()), StandardCharsets.UTF_8);
    assertTrue(problems.isEmpty(), "spec, facades and contract tests disagree:\n  " + String.join("\n  ", problems));
    assertEquals(total, both, summary + ": see the failed cases above");
    assertEquals(total, ownPassed.size(), summary + ": see the failed cases above");
  }
}
