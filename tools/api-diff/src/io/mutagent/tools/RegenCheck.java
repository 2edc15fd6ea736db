package io.mutagent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code make regen-check}: what regenerating the SDK after an API change does to its Java API.
 *
 * <p>It works on copies in {@code target/regen/}: the build inputs (pom, {@code .mvn}, {@code src}, {@code generator},
 * {@code generator-templates}, {@code resources}, {@code LICENSE}) and the spec, read and written
 * back as a tree. The unchanged spec is built first (the previous jar). Each additive change
 * (an optional query parameter on a GET and on a POST, an optional body field, a new enum value, a
 * new operation, a new namespace) is applied to a copy of the spec, regenerated, compiled and
 * packaged, and japicmp compares the jar with the previous one: any public member of the previous
 * jar that is gone, or changed so that code compiled or written against it breaks, is named. Each
 * breaking change (a removed operation, a new required parameter) is given to the API-diff tool's
 * spec comparison, which must say BREAKING. The last line is
 * {@code regeneration: N additive changes, R public members removed; M breaking changes, K reported};
 * the exit status is 0 only when R is 0, every change compiled and K is M.
 *
 * <p>Usage: {@code --spec openapi/mutagent.yaml --project . --work target/regen}. {@code MVN} in the
 * environment is the Maven command (default {@code mvn -B -ntp}). With {@code --make NAME} it only
 * makes one change and builds it ({@code WORK/specs/NAME.yaml}, {@code WORK/jars/NAME.jar}), for
 * {@code make release-check}, which checks that jar against a published version.
 */
public final class RegenCheck {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> BUILD_INPUTS =
      List.of("pom.xml", ".mvn", "src", "generator", "generator-templates", "resources", "LICENSE");
  private static final String REVISION = "0.0.0-regen";

  /** One change to the spec: what it is, whether the API calls it additive, and how to make it. */
  private static final class Change {
    final String name;
    final String label;
    final boolean additive;
    final Consumer<ObjectNode> apply;

    Change(String name, String label, boolean additive, Consumer<ObjectNode> apply) {
      this.name = name;
      this.label = label;
      this.additive = additive;
      this.apply = apply;
    }
  }

  /**
   * The changes. Each names the operation or schema it changes; when the spec no longer has it, the
   * check says so and fails, and this list is where to choose another.
   */
  static List<Change> changes() {
    return List.of(
        new Change("get-query", "optional query parameter `version` on GET getPrompt", true,
            spec -> parameters(operation(spec, "getPrompt")).add(queryParameter("version", false,
                "Which version of the prompt to return; the latest when left out.",
                JSON.objectNode().put("type", "integer").put("format", "int32").put("minimum", 1)))),
        new Change("post-query", "optional query parameter `dryRun` on POST createPrompt", true,
            spec -> parameters(operation(spec, "createPrompt")).add(queryParameter("dryRun", false,
                "Validate the prompt without creating it.", JSON.objectNode().put("type", "boolean")))),
        new Change("body-field", "optional field `folder` in the body of createPrompt (CreatePromptRequest)", true,
            spec -> object(schema(spec, "CreatePromptRequest"), "properties")
                .set("folder", JSON.objectNode().put("description", "The folder the prompt is filed in.")
                    .put("type", "string"))),
        new Change("enum-value", "new value `review` of the enum PromptStatus", true,
            spec -> ((ArrayNode) schema(spec, "PromptStatus").get("enum")).add("review")),
        new Change("new-operation", "new operation getPromptUsage (GET /api/prompt/{promptId}/usage) in namespace prompt",
            true, spec -> {
              ObjectNode copy = operation(spec, "getPrompt").deepCopy();
              copy.put("operationId", "getPromptUsage").put("summary", "Get the usage of a prompt")
                  .put("description", "Returns the prompt with its usage.");
              ((ObjectNode) spec.get("paths")).set("/api/prompt/{promptId}/usage", JSON.objectNode().set("get", copy));
            }),
        new Change("new-namespace", "new namespace folders with operation getFolder (GET /api/folders/{folderId})",
            true, spec -> {
              ObjectNode copy = operation(spec, "getPrompt").deepCopy();
              copy.put("operationId", "getFolder").put("summary", "Get a folder")
                  .put("description", "Returns one folder.");
              copy.set("tags", JSON.arrayNode().add("folders"));
              ArrayNode params = JSON.arrayNode().add(JSON.objectNode().put("name", "folderId").put("in", "path")
                  .put("required", true).put("description", "The id of the folder.")
                  .set("schema", JSON.objectNode().put("type", "string")));
              for (JsonNode param : parameters(copy)) {
                if (!param.path("$ref").asText().endsWith("/PromptIdParam")) {
                  params.add(param);
                }
              }
              copy.set("parameters", params);
              ((ObjectNode) spec.get("paths")).set("/api/folders/{folderId}", JSON.objectNode().set("get", copy));
              array(spec, "tags").add(JSON.objectNode().put("name", "folders")
                  .put("description", "Folders that group prompts."));
            }),
        new Change("removed-operation", "operation revokeApiKey (DELETE /api/api-keys/{apiKeyId}) removed", false,
            spec -> removeOperation(spec, "revokeApiKey")),
        new Change("required-parameter", "new required query parameter `projectId` on GET listPrompts", false,
            spec -> parameters(operation(spec, "listPrompts")).add(queryParameter("projectId", true,
                "The project whose prompts to list.", JSON.objectNode().put("type", "string")))));
  }

  private final Path spec;
  private final Path project;
  private final Path work;
  private final String mvn = System.getenv().getOrDefault("MVN", "mvn -B -ntp");

  private RegenCheck(Path spec, Path project, Path work) {
    this.spec = spec;
    this.project = project;
    this.work = work;
  }

  public static void main(String[] argv) throws IOException {
    Map<String, String> args = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    RegenCheck check = new RegenCheck(Paths.get(args.getOrDefault("spec", "openapi/mutagent.yaml")),
        Paths.get(args.getOrDefault("project", ".")), Paths.get(args.getOrDefault("work", "target/regen")));
    System.exit(args.containsKey("make") ? check.makeOne(args.get("make")) : check.run());
  }

  /** Copies the build inputs into {@code work/project}, a fresh {@code work} first. */
  private Path prepare() throws IOException {
    BaselineJar.delete(work);
    Files.createDirectories(work.resolve("specs"));
    Files.createDirectories(work.resolve("jars"));
    Path copy = work.resolve("project");
    for (String input : BUILD_INPUTS) {
      copyTree(project.resolve(input), copy.resolve(input));
    }
    return copy;
  }

  private int makeOne(String name) throws IOException {
    Change change = changes().stream().filter(c -> c.name.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no change " + name + " in RegenCheck.changes()"));
    Path copy = prepare();
    ObjectNode changed = (ObjectNode) SpecDocs.read(spec);
    change.apply.accept(changed);
    Path changedSpec = work.resolve("specs").resolve(name + ".yaml");
    SpecDocs.write(changed, changedSpec);
    String failure = build(copy, changedSpec, work.resolve("jars").resolve(name + ".jar"), name);
    if (failure != null) {
      System.out.println("regen-check: " + change.label + ": DOES NOT COMPILE\n" + indent(failure));
      return 1;
    }
    return 0;
  }

  private int run() throws IOException {
    long start = System.nanoTime();
    Path copy = prepare();
    Path specs = work.resolve("specs");
    Path jars = work.resolve("jars");
    ObjectNode original = (ObjectNode) SpecDocs.read(spec);
    // The previous jar is built from the spec as written back here, like every changed copy, so
    // the comparison sees only the change.
    Path baseSpec = specs.resolve("base.yaml");
    SpecDocs.write(original, baseSpec);
    Path baseJar = jars.resolve("base.jar");
    String baseFailure = build(copy, baseSpec, baseJar, "base");
    if (baseFailure != null) {
      System.out.println("regen-check: FAILED: the unchanged spec does not build: " + baseFailure);
      return 1;
    }
    String classpath = Files.readString(copy.resolve("target/runtime-classpath.txt"), StandardCharsets.UTF_8).strip();
    System.out.println("regen-check: the previous jar: " + spec + " as it is, built in " + seconds(start) + " s");

    int additive = 0;
    int removed = 0;
    int failedBuilds = 0;
    int breaking = 0;
    int reported = 0;
    for (Change change : changes()) {
      long caseStart = System.nanoTime();
      ObjectNode changed = original.deepCopy();
      Path changedSpec = specs.resolve(change.name + ".yaml");
      try {
        change.apply.accept(changed);
      } catch (IllegalStateException e) {
        System.out.println("regen-check: " + (change.additive ? "additive" : "breaking") + "  " + change.label
            + ": CANNOT BE MADE: " + e.getMessage() + " (update RegenCheck.changes())");
        if (change.additive) {
          additive++;
          failedBuilds++;
        } else {
          breaking++;
        }
        continue;
      }
      SpecDocs.write(changed, changedSpec);
      if (change.additive) {
        additive++;
        Path jar = jars.resolve(change.name + ".jar");
        String failure = build(copy, changedSpec, jar, change.name);
        if (failure != null) {
          failedBuilds++;
          System.out.println("regen-check: additive  " + change.label + ": DOES NOT COMPILE (" + seconds(caseStart)
              + " s)");
          System.out.println(indent(failure));
          continue;
        }
        List<String> gone = ApiDiff.incompatibilities(baseJar, "previous", jar, change.name, classpath, true);
        removed += gone.size();
        System.out.println("regen-check: additive  " + change.label + ": " + gone.size()
            + " public members removed (" + seconds(caseStart) + " s)");
        gone.forEach(line -> System.out.println("    " + line));
      } else {
        breaking++;
        ApiDiff.SpecResult diff = ApiDiff.compareSpecs(baseSpec, changedSpec, work.resolve("diff-" + change.name));
        if (diff.breaking) {
          reported++;
        }
        System.out.println("regen-check: breaking  " + change.label + ": api-diff says "
            + (diff.breaking ? "BREAKING" : "NOT BREAKING (it should)") + " (spec: " + diff.summary() + ")");
        diff.lines.forEach(line -> System.out.println("    " + line));
      }
    }
    System.out.println("regeneration: " + additive + " additive changes, " + removed + " public members removed"
        + (failedBuilds > 0 ? ", " + failedBuilds + " not compiled" : "") + "; " + breaking + " breaking changes, "
        + reported + " reported");
    System.out.println("regen-check: " + seconds(start) + " s; the changed specs are in " + specs
        + ", the build logs in " + work.resolve("logs"));
    return removed == 0 && failedBuilds == 0 && reported == breaking ? 0 : 1;
  }

  /**
   * Builds the copy from {@code specFile} (generate, compile, jar; no tests) into {@code jar}: null,
   * or the compiler's errors when it fails.
   */
  private String build(Path copy, Path specFile, Path jar, String name) throws IOException {
    BaselineJar.delete(copy.resolve("target"));
    Path logs = Files.createDirectories(work.resolve("logs"));
    Path log = logs.resolve(name + ".log");
    int status = BaselineJar.exec(List.of("bash", "-c", mvn + " -q -Papi-gate package -Dmaven.test.skip=true"
        + " -Drevision=" + REVISION + " -Dmutagent.spec=" + quote(specFile.toAbsolutePath().toString())), copy, log);
    Path built = copy.resolve("target/mutagent-java-" + REVISION + ".jar");
    if (status != 0 || !Files.isRegularFile(built)) {
      List<String> errors = new ArrayList<>();
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.contains("Failed to execute goal")) {
          break;
        }
        String error = line.replace(copy.toAbsolutePath().toString() + "/", "");
        if (error.startsWith("[ERROR]") && !error.contains("COMPILATION ERROR") && !errors.contains(error)
            && errors.size() < 8) {
          errors.add(error);
        }
      }
      return (errors.isEmpty() ? "exit " + status : String.join("\n", errors)) + "\n(log: " + log + ")";
    }
    Files.copy(built, jar, StandardCopyOption.REPLACE_EXISTING);
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Spec edits

  static ObjectNode operation(ObjectNode spec, String operationId) {
    for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
      for (Iterator<Map.Entry<String, JsonNode>> ops = paths.next().getValue().fields(); ops.hasNext(); ) {
        JsonNode op = ops.next().getValue();
        if (op.path("operationId").asText().equals(operationId)) {
          return (ObjectNode) op;
        }
      }
    }
    throw new IllegalStateException("the spec has no operation " + operationId);
  }

  static void removeOperation(ObjectNode spec, String operationId) {
    for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        if (ops.next().getValue().path("operationId").asText().equals(operationId)) {
          ops.remove();
          if (!path.getValue().fieldNames().hasNext()) {
            paths.remove();
          }
          return;
        }
      }
    }
    throw new IllegalStateException("the spec has no operation " + operationId);
  }

  static ObjectNode schema(ObjectNode spec, String name) {
    JsonNode schema = spec.path("components").path("schemas").path(name);
    if (!(schema instanceof ObjectNode)) {
      throw new IllegalStateException("the spec has no schema " + name);
    }
    return (ObjectNode) schema;
  }

  private static ArrayNode parameters(ObjectNode operation) {
    return array(operation, "parameters");
  }

  private static ArrayNode array(ObjectNode owner, String field) {
    if (!(owner.get(field) instanceof ArrayNode)) {
      owner.set(field, JSON.arrayNode());
    }
    return (ArrayNode) owner.get(field);
  }

  private static ObjectNode object(ObjectNode owner, String field) {
    if (!(owner.get(field) instanceof ObjectNode)) {
      owner.set(field, JSON.objectNode());
    }
    return (ObjectNode) owner.get(field);
  }

  private static ObjectNode queryParameter(String name, boolean required, String description, ObjectNode schema) {
    ObjectNode parameter = JSON.objectNode().put("name", name).put("in", "query").put("required", required)
        .put("description", description);
    parameter.set("schema", schema);
    return parameter;
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.exists(from)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.collect(Collectors.toList())) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  private static String indent(String text) {
    return text.lines().map(line -> "    " + line).collect(Collectors.joining("\n"));
  }

  private static long seconds(long startNanos) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
  }
}
