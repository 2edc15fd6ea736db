package io.mutagent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each spec shape the templates generate, shown by a small spec under
 * {@code tests-resources/specs/}: its client is generated with the build's generator and
 * templates, compiles at Java 11 without a warning, and a small program using it (the
 * {@code fixture.Driver} in each test) sends what the spec says to a local server. The shapes the
 * templates cannot generate are refused instead (TemplateLimitsTest).
 */
class SpecFixturesTest {
  private static final String ITEM = "{\"id\":\"it_1\",\"name\":\"first\"}";

  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  /**
   * The commonest API change, an optional query parameter added to an operation, adds to the Java
   * API and removes nothing (issue 20: it dropped getPrompt(String, RequestOptions)).
   */
  @Test
  void anOptionalQueryParameterAddedToAnOperationRemovesNoPublicMember() throws Exception {
    SpecFixtures.Fixture before = SpecFixtures.compile("added-query-before.yaml", Map.of());
    SpecFixtures.Fixture after = SpecFixtures.compile("added-query-after.yaml", driver(
        "out.add(client.items().getItem(\"it_1\", ItemsParams.GetItemParams.builder().version(3).build()).id());",
        "out.add(client.items().getItem(\"it_1\", RequestOptions.none()).id());",
        "out.add(client.items().withRawResponse().getItem(\"it_1\", ItemsParams.GetItemParams.builder().version(4).build()).statusCode());",
        "out.add(async.items().getItem(\"it_1\", ItemsParams.GetItemParams.builder().version(5).build(), RequestOptions.none()).join().id());"));
    TreeSet<String> removed = new TreeSet<>(publicApi(before));
    removed.removeAll(publicApi(after));
    assertEquals(new TreeSet<>(), removed, "public members of the client before the change that are gone after it");
    assertTrue(publicApi(after).size() > publicApi(before).size(), "the parameter adds a getter and a setter");

    assertEquals(List.of("it_1", "it_1", 200, "it_1"), run(after, ITEM, ITEM, ITEM, ITEM));
    assertEquals(List.of("GET /api/items/it_1?version=3", "GET /api/items/it_1", "GET /api/items/it_1?version=4",
        "GET /api/items/it_1?version=5"), requests(4));
  }

  @Test
  void aPostWithABodyAndAQueryParameterSendsBoth() throws Exception {
    SpecFixtures.Fixture fixture = SpecFixtures.compile("query-on-post.yaml", driver(
        "Item item = Item.builder().id(\"it_1\").name(\"first\").build();",
        "out.add(client.items().createItem(item, ItemsParams.CreateItemParams.builder().dryRun(true).build()).id());",
        "out.add(client.items().createItem(item).id());",
        "out.add(async.items().withRawResponse().createItem(item, ItemsParams.CreateItemParams.builder().dryRun(false).build(), RequestOptions.none()).join().statusCode());"));
    assertEquals(List.of("it_1", "it_1", 200), run(fixture, ITEM, ITEM, ITEM));
    List<RecordedRequest> sent = recorded(3);
    assertEquals(List.of("POST /api/items?dryRun=true", "POST /api/items", "POST /api/items?dryRun=false"), lines(sent));
    for (RecordedRequest request : sent) {
      assertEquals(ITEM, request.getBody().readUtf8());
    }
  }

  /** Also: a parameter named like a method of Object (notify) gets a Java name that compiles. */
  @Test
  void aPatchWithABodyAndAQueryParameterSendsBoth() throws Exception {
    SpecFixtures.Fixture fixture = SpecFixtures.compile("query-on-patch.yaml", driver(
        "Item item = Item.builder().id(\"it_1\").name(\"first\").build();",
        "ItemsParams.UpdateItemParams params = ItemsParams.UpdateItemParams.builder().notifyParam(true).build();",
        "out.add(params.notifyParam().get());",
        "out.add(client.items().updateItem(\"it_1\", item, params).id());",
        "out.add(client.items().withRawResponse().updateItem(\"it_1\", item, RequestOptions.none()).statusCode());"));
    assertEquals(List.of(true, "it_1", 200), run(fixture, ITEM, ITEM));
    List<RecordedRequest> sent = recorded(2);
    assertEquals(List.of("PATCH /api/items/it_1?notify=true", "PATCH /api/items/it_1"), lines(sent));
    assertEquals(ITEM, sent.get(0).getBody().readUtf8());
  }

  @Test
  void aDeleteWithAQueryParameterSendsIt() throws Exception {
    SpecFixtures.Fixture fixture = SpecFixtures.compile("query-on-delete.yaml", driver(
        "client.items().deleteItem(\"it_1\", ItemsParams.DeleteItemParams.builder().force(true).build());",
        "out.add(async.items().withRawResponse().deleteItem(\"it_2\").join().statusCode());"));
    assertEquals(List.of(204), run(fixture, null, null));
    assertEquals(List.of("DELETE /api/items/it_1?force=true", "DELETE /api/items/it_2"), requests(2));
  }

  @Test
  void aDeleteWithABodySendsIt() throws Exception {
    SpecFixtures.Fixture fixture = SpecFixtures.compile("body-on-delete.yaml", driver(
        "client.items().deleteItem(\"it_1\", Item.builder().id(\"it_1\").name(\"first\").build());"));
    assertEquals(List.of(), run(fixture, (String) null));
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("DELETE /api/items/it_1", sent.getMethod() + " " + sent.getPath());
    assertEquals(ITEM, sent.getBody().readUtf8());
  }

  /**
   * A new kind of long-running job is a spec edit: x-mutagent-job on the operation that starts it
   * gives both clients {@code <op>AndWait} and {@code waitFor<Name>}, which poll the named status
   * operation until a completed state, and throw at a failed one.
   */
  @Test
  void aJobDeclaredInTheSpecGetsWaitingMethodsOnBothClients() throws Exception {
    String waitOptions = "io.mutagent.jobs.WaitOptions.builder().firstInterval(java.time.Duration.ofMillis(1))"
        + ".maxInterval(java.time.Duration.ofMillis(1)).build()";
    SpecFixtures.Fixture fixture = SpecFixtures.compile("job-kind.yaml", driver(
        "BuildRequest request = BuildRequest.builder().target(\"app\").build();",
        "out.add(client.builds().startBuildAndWait(request, " + waitOptions + ").state().value());",
        "out.add(async.builds().waitForBuild(\"b_1\", " + waitOptions + ").join().state().value());",
        "try {",
        "  client.builds().waitForBuild(\"b_1\", " + waitOptions + ");",
        "} catch (io.mutagent.jobs.JobFailedException e) {",
        "  out.add(e.kind() + \" \" + e.jobId() + \" \" + e.status());",
        "}"));
    assertEquals(List.of("done", "done", "build b_1 broken"), run(fixture,
        "{\"id\":\"b_1\",\"state\":\"waiting\"}", "{\"id\":\"b_1\",\"state\":\"building\"}",
        "{\"id\":\"b_1\",\"state\":\"done\"}",
        "{\"id\":\"b_1\",\"state\":\"done\"}",
        "{\"id\":\"b_1\",\"state\":\"broken\"}"));
    assertEquals(List.of("POST /api/builds", "GET /api/builds/b_1", "GET /api/builds/b_1", "GET /api/builds/b_1",
        "GET /api/builds/b_1"), requests(5));
    assertTrue(fixture.warnings().isEmpty(), "javac warnings: " + fixture.warnings());
  }

  /** A required query parameter is an argument of every method, after the ids, checked before anything is sent. */
  @Test
  void aRequiredQueryParameterIsAnArgumentOfEveryMethod() throws Exception {
    SpecFixtures.Fixture fixture = SpecFixtures.compile("required-query.yaml", driver(
        "out.add(client.items().findItem(\"red shoes\").id());",
        "out.add(client.items().findItem(\"x\", ItemsParams.FindItemParams.builder().limit(2).build(), RequestOptions.none()).id());",
        "try {",
        "  client.items().findItem(null);",
        "} catch (IllegalArgumentException e) {",
        "  out.add(e.getMessage());",
        "}",
        "out.add(async.items().findItem(null).handle((ok, e) -> e.getClass().getSimpleName()).join());"));
    assertEquals(List.of("it_1", "it_1", "q must not be null: the query parameter q is required", "IllegalArgumentException"),
        run(fixture, ITEM, ITEM));
    assertEquals(List.of("GET /api/items?q=red%20shoes", "GET /api/items?limit=2&q=x"), requests(2));
    assertEquals(2, server.getRequestCount(), "the calls without q sent nothing");
  }

  /** An array is sent as one name=value per item (style form, explode true: OpenAPI's default). */
  @Test
  void anArrayQueryParameterIsSentAsOneValuePerItem() throws Exception {
    SpecFixtures.Fixture fixture = SpecFixtures.compile("array-query.yaml", driver(
        "List<String> tags = new ArrayList<>(List.of(\"new\", \"on sale\"));",
        "ItemsParams.FindItemsParams params = ItemsParams.FindItemsParams.builder().tags(tags).limit(5).build();",
        "tags.add(\"changed after\");",
        "out.add(params.tags().get());",
        "out.add(params.toString());",
        "out.add(client.items().findItems(List.of(\"it_1\", \"it_2\"), params).id());",
        "out.add(client.items().findItems(List.of(\"it_3\")).id());",
        "try {",
        "  ItemsParams.FindItemsParams.builder().tags(Arrays.asList(\"a\", null));",
        "} catch (IllegalArgumentException e) {",
        "  out.add(e.getMessage());",
        "}"));
    assertEquals(List.of(List.of("new", "on sale"), "FindItemsParams{tags=[new, on sale], limit=5}", "it_1", "it_1",
        "tags has null at index 1: a query parameter's list holds values only"), run(fixture, ITEM, ITEM));
    assertEquals(List.of("GET /api/items?limit=5&ids=it_1&ids=it_2&tags=new&tags=on%20sale", "GET /api/items?ids=it_3"),
        requests(2));
  }

  /** A query parameter of a named enum takes the open enum and sends its API value. */
  @Test
  void anEnumQueryParameterSendsItsValue() throws Exception {
    SpecFixtures.Fixture fixture = SpecFixtures.compile("enum-query.yaml", driver(
        "out.add(client.items().findItems(ItemsParams.FindItemsParams.builder().color(Color.DARK_BLUE).build()).id());",
        "out.add(client.items().findItems(ItemsParams.FindItemsParams.builder().color(Color.of(\"green\")).build()).id());"));
    assertEquals(List.of("it_1", "it_1"), run(fixture, ITEM, ITEM));
    assertEquals(List.of("GET /api/items?color=dark-blue", "GET /api/items?color=green"), requests(2));
  }

  @Test
  void aBinaryBodyWithAQueryParameterSendsBoth() throws Exception {
    SpecFixtures.Fixture fixture = SpecFixtures.compile("binary-query.yaml", driver(
        "byte[] bytes = {10, 3, 105, 116, 49};",
        "out.add(client.items().uploadItemProtobuf(bytes, ItemsParams.UploadItemParams.builder().dryRun(true).build()).id());",
        "out.add(client.items().withRawResponse().uploadItemProtobuf(bytes, RequestOptions.none()).statusCode());",
        "out.add(async.items().uploadItemProtobuf(bytes, ItemsParams.UploadItemParams.none(), RequestOptions.none()).join().id());"));
    assertEquals(List.of("it_1", 200, "it_1"), run(fixture, ITEM, ITEM, ITEM));
    List<RecordedRequest> sent = recorded(3);
    assertEquals(List.of("POST /api/items/upload?dryRun=true", "POST /api/items/upload", "POST /api/items/upload"), lines(sent));
    for (RecordedRequest request : sent) {
      assertEquals("application/x-protobuf", request.getHeader("Content-Type"));
      assertEquals(5, request.getBodySize());
    }
  }

  /**
   * Any text of the spec is safe in Javadoc (issue 20: a backslash gave "illegal unicode escape"):
   * a spec full of backslashes (also before a u), *&#47;, @, HTML, quotes, backticks and line breaks compiles,
   * passes javadoc with doclint as the release build runs it, and each text reads as written.
   */
  @Test
  void anyTextOfTheSpecIsSafeInJavadocAndReadsAsWritten() throws Exception {
    SpecFixtures.Fixture fixture = SpecFixtures.compile("javadoc-text.yaml", Map.of());
    assertEquals(List.of(), fixture.warnings(), "javac warnings");
    assertEquals(List.of(), SpecFixtures.javadoc(fixture), "javadoc errors and warnings");

    String service = shown(fixture.source("io/mutagent/services/ItemsService.java"));
    for (String text : List.of(
        "Files under C:\\users\\new, \\u0041 and \\\\u0042; ends */ here /* not; @deprecated {@link Nothing} <b>bold</b> & \"quoted\" `code` it's",
        "Get C:\\users <item> & @see */ \"it\".",
        "Reads C:\\users\\u0041 files. @param nothing */ <script>alert(1)</script> & {@code x} `name` \"q\" 100% \\ @return",
        "@param itemId Path \\u005c */ <id> @return {@inheritDoc} (required, not blank)",
        "the item \\u0041 */ <bytes> @param (required, not empty)",
        "Upload \\u0000 */.")) {
      assertTrue(service.contains(text), "ItemsService's Javadoc shows: " + text);
    }
    assertTrue(shown(fixture.source("io/mutagent/services/ItemsParams.java")).contains("@throws <Color> \\u0022 */ & `red`"));
    String item = shown(fixture.source("io/mutagent/models/Item.java"));
    assertTrue(item.contains("An item at C:\\items\\u0041 */ <item> & @author {@code x}"), item);
    assertTrue(item.contains("The id \\u0041 */ <id> @return"), item);
    assertTrue(item.contains("The name, C:\\names\\u0041. @deprecated */ <b> & `name`"), item);
    assertTrue(shown(fixture.source("io/mutagent/models/Color.java")).contains("A color \\u0041 */ <c> & @since"));
  }

  /** A generated source's comments as a reader of the Javadoc sees them: entities and code tags undone. */
  private static String shown(String source) {
    StringBuilder text = new StringBuilder();
    java.util.regex.Matcher entity = java.util.regex.Pattern.compile("&#(\\d+);").matcher(
        source.replace("<code>", "`").replace("</code>", "`").replace("&lt;", "<").replace("&gt;", ">"));
    while (entity.find()) {
      entity.appendReplacement(text, java.util.regex.Matcher.quoteReplacement(
          String.valueOf((char) Integer.parseInt(entity.group(1)))));
    }
    entity.appendTail(text);
    return text.toString().replace("&amp;", "&");
  }

  // --- helpers --------------------------------------------------------------------------------

  /** A fixture.Driver whose apply(url) runs these statements with a blocking and an async client, returning out. */
  private static Map<String, String> driver(String... statements) {
    return Map.of("fixture/Driver.java", String.join("\n",
        "package fixture;",
        "",
        "import io.mutagent.AsyncMutagent;",
        "import io.mutagent.Mutagent;",
        "import io.mutagent.RequestOptions;",
        "import io.mutagent.models.*;",
        "import io.mutagent.services.*;",
        "import java.util.ArrayList;",
        "import java.util.Arrays;",
        "import java.util.List;",
        "",
        "public final class Driver implements java.util.function.Function<String, Object> {",
        "  @Override",
        "  @SuppressWarnings(\"try\") // a driver may use one of the two clients only",
        "  public Object apply(String url) {",
        "    List<Object> out = new ArrayList<>();",
        "    try (Mutagent client = Mutagent.builder().apiKey(\"sk_test\").serverUrl(url).maxRetries(0).build();",
        "        AsyncMutagent async = AsyncMutagent.builder().apiKey(\"sk_test\").serverUrl(url).maxRetries(0).build()) {",
        "      " + String.join("\n      ", statements),
        "    }",
        "    return out;",
        "  }",
        "}",
        ""));
  }

  /** Serves these bodies (JSON with 200, or null for a 204) in turn and runs the fixture's driver. */
  @SuppressWarnings("unchecked")
  private Object run(SpecFixtures.Fixture fixture, String... bodies) throws Exception {
    assertEquals(List.of(), fixture.warnings(), "javac warnings");
    for (String body : bodies) {
      server.enqueue(body == null ? new MockResponse().setResponseCode(204)
          : new MockResponse().setHeader("Content-Type", "application/json").setBody(body));
    }
    Class<?> driver = Class.forName("fixture.Driver", true, fixture.loader());
    return ((Function<String, Object>) driver.getConstructor().newInstance()).apply(server.url("/").toString());
  }

  private List<RecordedRequest> recorded(int count) throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
      assertTrue(request != null, "request " + (i + 1) + " of " + count + " never came");
      requests.add(request);
    }
    return requests;
  }

  private List<String> requests(int count) throws InterruptedException {
    return lines(recorded(count));
  }

  private static List<String> lines(List<RecordedRequest> requests) {
    return requests.stream().map(r -> r.getMethod() + " " + r.getPath()).collect(Collectors.toList());
  }

  /**
   * The public API of a fixture's client, one line per public member of each public class (and
   * nested class) in io.mutagent.services and io.mutagent.models: what a user's code can call.
   */
  static List<String> publicApi(SpecFixtures.Fixture fixture) throws Exception {
    List<String> api = new ArrayList<>();
    ClassLoader loader = fixture.loader();
    for (String pkg : List.of("io/mutagent/services", "io/mutagent/models")) {
      Path folder = fixture.classes().resolve(pkg);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().collect(Collectors.toList())) {
          String name = pkg.replace('/', '.') + "." + file.getFileName().toString().replaceFirst("\\.class$", "");
          Class<?> type = Class.forName(name, false, loader);
          if (!Modifier.isPublic(type.getModifiers())) {
            continue;
          }
          String owner = type.getName();
          api.add(owner);
          for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())) {
              api.add(owner + "." + m.getName() + Arrays.toString(m.getGenericParameterTypes()) + " " + m.getGenericReturnType());
            }
          }
          for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (Modifier.isPublic(c.getModifiers())) {
              api.add(owner + ".<init>" + Arrays.toString(c.getGenericParameterTypes()));
            }
          }
          for (Field f : type.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers())) {
              api.add(owner + "." + f.getName() + " " + f.getGenericType());
            }
          }
        }
      }
    }
    assertFalse(api.isEmpty(), "no public class in " + fixture.classes());
    return api;
  }
}
