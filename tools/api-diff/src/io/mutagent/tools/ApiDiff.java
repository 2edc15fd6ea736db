package io.mutagent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.Operation;
import japicmp.cmp.JApiCmpArchive;
import japicmp.cmp.JarArchiveComparator;
import japicmp.cmp.JarArchiveComparatorOptions;
import japicmp.filter.JavadocLikePackageFilter;
import japicmp.model.JApiBehavior;
import japicmp.model.JApiClass;
import japicmp.model.JApiCompatibilityChange;
import japicmp.model.JApiField;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.model.ChangedOperation;
import org.openapitools.openapidiff.core.model.Endpoint;

/**
 * The API-change gate of mutagent-java. Compares the spec with the spec of the last published
 * version (openapi-diff, on both documents without their descriptions, summaries and examples) and
 * the new jar with the last published jar (japicmp), prints added, changed and removed operations,
 * the documentation-only changes as a group of their own, and whether the change is breaking,
 * writes the Markdown API part of the changelog, and with {@code --gate} refuses a version that is
 * not newer, a breaking change without the version part it needs (the minor while the major is 0,
 * the major from 1.0 on), or a check without its Java half.
 *
 * <p>Two modes. The diff: {@code --old-version V --old-spec F --new-version V --new-spec F}, with
 * {@code --new-jar F --classpath-file F --jar-repos URL,...} for the Java check ({@code
 * --rebuild-dir D}: when no repository has the old jar, rebuild it from the commit that added the
 * old spec), {@code --report F} for the Markdown API part, and {@code --gate enforce|report}. The
 * changelog, after a publish: {@code --changelog CHANGELOG.md --section-file F --new-version V
 * --release-date YYYY-MM-DD}.
 *
 * <p>Exit status: 0 done (and allowed by an enforcing gate); 3 refused by the gate; 2 bad usage or
 * an unreadable input.
 */
public final class ApiDiff {
  /** The console shows this many binary-incompatible changes; the report has them all. */
  private static final int MAX_LINES = 40;

  private final Map<String, String> args;

  private ApiDiff(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) {
    int status;
    try {
      status = new ApiDiff(parse(argv)).run();
    } catch (UsageException e) {
      System.err.println("api-diff: " + e.getMessage());
      status = 2;
    }
    System.exit(status);
  }

  private int run() {
    if (args.containsKey("changelog")) {
      updateChangelog(Paths.get(args.get("changelog")), required("new-version"), required("release-date"),
          read(Paths.get(required("section-file"))));
      return 0;
    }
    String oldVersion = required("old-version");
    String newVersion = required("new-version");
    Path oldSpec = Paths.get(required("old-spec"));
    Path newSpec = Paths.get(required("new-spec"));
    if (!Files.isRegularFile(oldSpec)) {
      throw new UsageException("no spec of the last published version at " + oldSpec);
    }

    Path work = Paths.get(args.getOrDefault("work", "target/api-diff"));
    SpecResult spec = compareSpecs(oldSpec, newSpec, work);
    System.out.println("api-diff: " + newSpec + " against " + oldSpec + " (the spec of " + oldVersion + ")");
    for (String line : spec.lines) {
      System.out.println("  " + line);
    }
    System.out.println("api-diff: spec: " + spec.summary());
    if (!spec.docs.isEmpty()) {
      System.out.println("api-diff: documentation only: " + spec.docSummary());
      spec.docs.forEach((group, names) -> System.out.println("  documentation  " + group
          + (names.isEmpty() ? "" : ": " + String.join(", ", names))));
    }

    JavaResult java = args.containsKey("new-jar") ? compareJars(oldVersion, newVersion, oldSpec, work) : null;
    if (java != null) {
      System.out.println("api-diff: java: " + java.summary);
      int shown = Math.min(java.incompatible.size(), MAX_LINES);
      java.incompatible.subList(0, shown).forEach(line -> System.out.println("  " + line));
      if (shown < java.incompatible.size()) {
        System.out.println("  ... and " + (java.incompatible.size() - shown) + " more"
            + (args.containsKey("report") ? ", every one in " + args.get("report") : ""));
      }
    }

    boolean breaking = spec.breaking || (java != null && java.breaking());
    System.out.println("api-diff: " + (breaking ? "BREAKING" : "not breaking") + " against " + oldVersion);

    if (args.containsKey("report")) {
      write(Paths.get(args.get("report")), markdown(oldVersion, oldSpec, spec, java, breaking));
    }

    String gate = args.getOrDefault("gate", "none");
    String javaNotRun = java == null ? "the Java check was not asked for (no --new-jar)"
        : java.checked ? null : "the Java check did not run (" + java.summary + ")";
    switch (gate) {
      case "none":
        return 0;
      case "enforce":
        return gate(oldVersion, newVersion, breaking, javaNotRun, false);
      case "report":
        return gate(oldVersion, newVersion, breaking, javaNotRun, true);
      default:
        throw new UsageException("--gate is enforce or report, not " + gate);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The gate

  /**
   * Refuses (status 3) a version that is not newer, a breaking change without the bump it needs,
   * or a check whose Java half did not run: the spec check alone never passes the gate.
   */
  static int gate(String oldVersion, String newVersion, boolean breaking, String javaNotRun,
      boolean reportOnly) {
    String refusal = refusal(oldVersion, newVersion, breaking);
    if (refusal == null && javaNotRun != null) {
      refusal = javaNotRun + "; the gate does not pass on the spec check alone";
    }
    if (refusal == null) {
      System.out.println("api-gate: " + newVersion + " may follow " + oldVersion + (breaking
          ? semver(oldVersion)[0] == 0 && semver(newVersion)[0] == 0
              ? " (breaking, and the minor version is raised: the rule while the major version is 0)"
              : " (breaking, and the major version is raised)"
          : ""));
      return 0;
    }
    if (reportOnly) {
      System.out.println("api-gate: make publish would refuse " + newVersion + ": " + refusal);
      return 0;
    }
    System.out.println("api-gate: REFUSED: " + refusal);
    return 3;
  }

  /**
   * Why {@code newVersion} may not follow {@code oldVersion}, or null. SemVer's rule with Cargo's
   * reading of 0.x: while the major version is 0 a breaking change needs the next minor version
   * (0.1.x to 0.2.0; 1.0.0 is allowed too); from 1.0 on it needs the next major version.
   */
  static String refusal(String oldVersion, String newVersion, boolean breaking) {
    int[] previous = semver(oldVersion);
    int[] next = semver(newVersion);
    if (compare(next, previous) <= 0) {
      return newVersion + " is not newer than " + oldVersion
          + ", the last published version (openapi/released/" + oldVersion + ".yaml)";
    }
    if (!breaking || next[0] > previous[0]) {
      return null;
    }
    if (previous[0] == 0) {
      if (next[1] > previous[1]) {
        return null;
      }
      String suggestion = "0." + (previous[1] + 1) + ".0";
      return "the change against " + oldVersion + " is breaking and " + newVersion + " keeps minor version 0."
          + next[1] + " (while the major version is 0, a breaking change needs the next minor); publish it as "
          + suggestion + " (make publish VERSION=" + suggestion + ")";
    }
    String suggestion = (previous[0] + 1) + ".0.0";
    return "the change against " + oldVersion + " is breaking and " + newVersion + " keeps major version "
        + next[0] + "; publish it as " + suggestion + " (make publish VERSION=" + suggestion + ")";
  }

  static int[] semver(String version) {
    String core = version.split("[-+]", 2)[0];
    String[] parts = core.split("\\.");
    if (parts.length != 3) {
      throw new UsageException("version " + version + " is not MAJOR.MINOR.PATCH");
    }
    int[] result = new int[3];
    for (int i = 0; i < 3; i++) {
      try {
        result[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new UsageException("version " + version + " is not MAJOR.MINOR.PATCH");
      }
    }
    return result;
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < 3; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return 0;
  }

  // ---------------------------------------------------------------------------------------------
  // The spec

  static final class SpecResult {
    final List<String> lines = new ArrayList<>();
    final List<String> markdown = new ArrayList<>();
    /** Documentation-only changes: group (operations, schemas, ...) to names. */
    Map<String, java.util.Set<String>> docs = Map.of();
    int docTexts;
    int added;
    int changed;
    int removed;
    int deprecated;
    boolean breaking;
    boolean otherChanges;

    String summary() {
      if (added + changed + removed + deprecated == 0) {
        return (otherChanges ? "no operation changed (descriptive changes only)" : "no changes")
            + (breaking ? ": BREAKING" : "");
      }
      return added + " added, " + changed + " changed, " + removed + " removed"
          + (deprecated > 0 ? ", " + deprecated + " deprecated" : "")
          + (breaking ? ": BREAKING" : ": not breaking");
    }

    String docSummary() {
      List<String> parts = new ArrayList<>();
      docs.forEach((group, names) -> parts.add(names.isEmpty() ? group : group + " " + names.size()));
      return docTexts + " descriptions, summaries or examples changed, in " + String.join(", ", parts)
          + "; no operation is changed by them";
    }
  }

  /**
   * openapi-diff on both documents without their documentation (written to {@code work}), so that
   * an operation is "changed" only when a request, a response or a signature changes; then the
   * documentation changes, grouped.
   */
  static SpecResult compareSpecs(Path oldSpec, Path newSpec, Path work) {
    JsonNode oldTree;
    JsonNode newTree;
    Path oldStripped = work.resolve("spec-old-without-docs.yaml");
    Path newStripped = work.resolve("spec-new-without-docs.yaml");
    try {
      oldTree = SpecDocs.read(oldSpec);
      newTree = SpecDocs.read(newSpec);
      SpecDocs.write(SpecDocs.strip(oldTree), oldStripped);
      SpecDocs.write(SpecDocs.strip(newTree), newStripped);
    } catch (IOException e) {
      throw new UsageException("cannot read the specs: " + e.getMessage());
    }
    ChangedOpenApi diff = OpenApiCompare.fromLocations(oldStripped.toString(), newStripped.toString());
    SpecResult result = new SpecResult();
    List<String> docChanges = SpecDocs.changes(oldTree, newTree);
    result.docTexts = docChanges.size();
    result.docs = SpecDocs.group(docChanges, oldTree, newTree);
    Comparator<Endpoint> byPath =
        Comparator.comparing(Endpoint::getPathUrl).thenComparing(e -> e.getMethod().name());

    for (Endpoint endpoint : sorted(diff.getNewEndpoints(), byPath)) {
      result.added++;
      result.lines.add("added     " + describe(endpoint));
      result.markdown.add("- Added " + markdown(endpoint));
    }
    List<ChangedOperation> changed = new ArrayList<>(diff.getChangedOperations());
    changed.sort(Comparator.comparing(ChangedOperation::getPathUrl)
        .thenComparing(c -> c.getHttpMethod().name()));
    for (ChangedOperation operation : changed) {
      String parts = changedParts(operation);
      boolean incompatible = operation.isIncompatible();
      result.changed++;
      String id = operationId(operation.getNewOperation());
      result.lines.add("changed   " + operation.getHttpMethod() + " " + operation.getPathUrl() + "  " + id
          + ": " + parts + (incompatible ? "  (breaking)" : ""));
      result.markdown.add("- Changed `" + operation.getHttpMethod() + " " + operation.getPathUrl() + "` (`" + id
          + "`): " + parts + (incompatible ? " **(breaking)**" : ""));
    }
    for (Endpoint endpoint : sorted(diff.getMissingEndpoints(), byPath)) {
      result.removed++;
      result.lines.add("removed   " + describe(endpoint) + "  (breaking)");
      result.markdown.add("- Removed " + markdown(endpoint) + " **(breaking)**");
    }
    for (Endpoint endpoint : sorted(diff.getDeprecatedEndpoints(), byPath)) {
      result.deprecated++;
      result.lines.add("deprecated " + describe(endpoint));
      result.markdown.add("- Deprecated " + markdown(endpoint));
    }
    result.breaking = diff.isIncompatible();
    result.otherChanges = diff.isDifferent();
    return result;
  }

  private static String changedParts(ChangedOperation operation) {
    List<String> parts = new ArrayList<>();
    if (operation.getOperationId() != null) {
      parts.add("operationId");
    }
    if (operation.getParameters() != null) {
      parts.add("parameters");
    }
    if (operation.getRequestBody() != null) {
      parts.add("request body");
    }
    if (operation.getApiResponses() != null) {
      parts.add("responses");
    }
    if (operation.getSecurityRequirements() != null) {
      parts.add("security");
    }
    if (operation.isDeprecated()) {
      parts.add("deprecated");
    }
    if (operation.getSummary() != null || operation.getDescription() != null) {
      parts.add("description");
    }
    if (operation.getExtensions() != null) {
      parts.add("extensions");
    }
    return parts.isEmpty() ? "details" : String.join(", ", parts);
  }

  private static <T> List<T> sorted(List<T> list, Comparator<T> order) {
    return list.stream().sorted(order).collect(Collectors.toList());
  }

  private static String operationId(Operation operation) {
    return operation == null || operation.getOperationId() == null ? "(no operationId)" : operation.getOperationId();
  }

  private static String describe(Endpoint endpoint) {
    return endpoint.getMethod() + " " + endpoint.getPathUrl() + "  " + operationId(endpoint.getOperation());
  }

  private static String markdown(Endpoint endpoint) {
    return "`" + endpoint.getMethod() + " " + endpoint.getPathUrl() + "` (`" + operationId(endpoint.getOperation()) + "`)";
  }

  // ---------------------------------------------------------------------------------------------
  // The jar

  private static final class JavaResult {
    final String summary;
    final List<String> incompatible;
    final boolean checked;
    /** Where the old jar came from: its path, or "rebuilt from commit ...". */
    final String origin;

    JavaResult(String summary, List<String> incompatible, boolean checked, String origin) {
      this.summary = summary;
      this.incompatible = incompatible;
      this.checked = checked;
      this.origin = origin;
    }

    boolean breaking() {
      return checked && !incompatible.isEmpty();
    }
  }

  private JavaResult compareJars(String oldVersion, String newVersion, Path oldSpec, Path work) {
    Path newJar = Paths.get(args.get("new-jar"));
    if (!Files.isRegularFile(newJar)) {
      throw new UsageException("no new jar at " + newJar + " (build it first: mvn package)");
    }
    List<String> repos = List.of(args.getOrDefault("jar-repos", "").split(","));
    Path rebuildDir = args.containsKey("rebuild-dir") ? Paths.get(args.get("rebuild-dir")) : null;
    BaselineJar.Found old = BaselineJar.find(oldVersion, repos, work, oldSpec, rebuildDir);
    if (old.jar == null) {
      return new JavaResult("binary check NOT RUN: " + old.origin, List.of(), false, old.origin);
    }
    String classpath = args.containsKey("classpath-file")
        ? read(Paths.get(args.get("classpath-file"))).strip() : "";
    List<String> incompatible = incompatibilities(old.jar, oldVersion, newJar, newVersion, classpath, false);
    String summary = "mutagent-java " + newVersion + " against " + oldVersion + " (" + old.origin + "): "
        + (incompatible.isEmpty() ? "binary compatible" : incompatible.size() + " binary-incompatible changes: BREAKING");
    return new JavaResult(summary, incompatible, true, old.origin);
  }

  /**
   * japicmp on two jars of the SDK, {@code io.mutagent.internal} left out: each element of the old
   * jar's API that a user compiled against and that the new jar breaks (binary-incompatible, and
   * with {@code sourceToo} also source-incompatible), as {@code element: KIND, ...}, sorted.
   */
  static List<String> incompatibilities(Path oldJar, String oldVersion, Path newJar, String newVersion,
      String classpath, boolean sourceToo) {
    JarArchiveComparatorOptions options = new JarArchiveComparatorOptions();
    // Internal packages are not API: changes there break no user.
    options.getFilters().getExcludes().add(new JavadocLikePackageFilter("io.mutagent.internal", true));
    options.getFilters().getExcludes().add(new JavadocLikePackageFilter("io.mutagent.internal.*", true));
    options.setClassPathMode(JarArchiveComparatorOptions.ClassPathMode.ONE_COMMON_CLASSPATH);
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        options.getClassPathEntries().add(entry);
      }
    }
    JarArchiveComparator comparator = new JarArchiveComparator(options);
    List<JApiClass> classes = comparator.compare(
        new JApiCmpArchive(oldJar.toFile(), oldVersion), new JApiCmpArchive(newJar.toFile(), newVersion));

    List<String> incompatible = new ArrayList<>();
    for (JApiClass type : classes) {
      String name = type.getFullyQualifiedName();
      if (name.equals("module-info")) {
        continue;
      }
      addIncompatible(incompatible, name, type.getCompatibilityChanges(), sourceToo);
      for (JApiBehavior method : type.getMethods()) {
        addIncompatible(incompatible, name + "." + signature(method), method.getCompatibilityChanges(), sourceToo);
      }
      for (JApiBehavior constructor : type.getConstructors()) {
        addIncompatible(incompatible, name + "." + signature(constructor), constructor.getCompatibilityChanges(),
            sourceToo);
      }
      for (JApiField field : type.getFields()) {
        addIncompatible(incompatible, name + "." + field.getName(), field.getCompatibilityChanges(), sourceToo);
      }
    }
    incompatible.sort(Comparator.naturalOrder());
    return incompatible;
  }

  private static void addIncompatible(List<String> out, String element, List<JApiCompatibilityChange> changes,
      boolean sourceToo) {
    String kinds = changes.stream()
        .filter(change -> !change.isBinaryCompatible() || (sourceToo && !change.isSourceCompatible()))
        .map(change -> change.getType().name())
        .distinct()
        .collect(Collectors.joining(", "));
    if (!kinds.isEmpty()) {
      out.add(element + ": " + kinds);
    }
  }

  private static String signature(JApiBehavior behavior) {
    String params = behavior.getParameters().stream()
        .map(p -> p.getType())
        .collect(Collectors.joining(", "));
    return behavior.getName() + "(" + params + ")";
  }

  // ---------------------------------------------------------------------------------------------
  // Markdown and the changelog

  private static String markdown(String oldVersion, Path oldSpec, SpecResult spec, JavaResult java, boolean breaking) {
    StringBuilder out = new StringBuilder();
    out.append("### API\n\n");
    out.append("Against ").append(oldVersion).append(" (`").append(oldSpec.toString().replace('\\', '/'))
        .append("`), from `make api-diff`: ").append(breaking ? "**breaking**." : "not breaking.").append("\n\n");
    if (spec.markdown.isEmpty()) {
      out.append("- No operation added, changed or removed.\n");
    } else {
      spec.markdown.forEach(line -> out.append(line).append('\n'));
    }
    if (!spec.docs.isEmpty()) {
      List<String> groups = new ArrayList<>();
      spec.docs.forEach((group, names) -> groups.add(names.isEmpty() ? group
          : group + " " + names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "))));
      out.append("- Documentation only (").append(spec.docTexts)
          .append(" descriptions, summaries or examples; no operation changed by them): ")
          .append(String.join("; ", groups)).append(".\n");
    }
    if (java == null) {
      out.append("- Java API: not checked.\n");
    } else if (!java.checked) {
      out.append("- Java API: NOT checked (").append(java.summary.replaceFirst("^binary check NOT RUN: ", ""))
          .append(").\n");
    } else if (java.incompatible.isEmpty()) {
      out.append("- Java API: binary compatible with ").append(oldVersion).append(" (japicmp; the ")
          .append(oldVersion).append(" jar: ").append(java.origin).append(").\n");
    } else {
      out.append("- Java API: ").append(java.incompatible.size()).append(" binary-incompatible changes (japicmp; the ")
          .append(oldVersion).append(" jar: ").append(java.origin).append("):\n");
      java.incompatible.forEach(line -> out.append("  - `").append(line).append("`\n"));
    }
    return out.toString();
  }

  /**
   * Turns the changelog's "## Unreleased" section into the section of {@code version}: its
   * hand-written notes, then the API part; a fresh, empty "## Unreleased" goes on top.
   */
  static void updateChangelog(Path file, String version, String date, String apiSection) {
    String text = read(file);
    String heading = "## Unreleased";
    int start = text.indexOf(heading + "\n");
    if (start < 0) {
      throw new UsageException(file + " has no '" + heading + "' section");
    }
    int bodyStart = start + heading.length() + 1;
    int next = text.indexOf("\n## ", bodyStart);
    int bodyEnd = next < 0 ? text.length() : next + 1;
    String notes = text.substring(bodyStart, bodyEnd).strip();
    String placeholder = UNRELEASED_PLACEHOLDER.strip();
    if (notes.startsWith(placeholder)) {
      notes = notes.substring(placeholder.length()).strip();
    }
    StringBuilder section = new StringBuilder();
    section.append(heading).append("\n\n").append(UNRELEASED_PLACEHOLDER).append('\n');
    section.append("## ").append(version).append(" (").append(date).append(")\n\n");
    if (!notes.isEmpty()) {
      section.append(notes).append("\n\n");
    }
    section.append(apiSection).append('\n');
    write(file, text.substring(0, start) + section + text.substring(bodyEnd));
    System.out.println("api-diff: " + file + ": section " + version + " written (its API part from this diff)");
  }

  static final String UNRELEASED_PLACEHOLDER =
      "Notes for the next release go here. `make publish` turns this section into the release's\n"
          + "section and adds its API part from `make api-diff`.\n";

  // ---------------------------------------------------------------------------------------------
  // Plumbing

  private String required(String name) {
    String value = args.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("missing --" + name);
    }
    return value;
  }

  private static Map<String, String> parse(String[] argv) {
    Map<String, String> result = new LinkedHashMap<>();
    for (int i = 0; i < argv.length; i++) {
      String arg = argv[i];
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument " + arg);
      }
      String name = arg.substring(2);
      if (i + 1 < argv.length) {
        result.put(name, argv[++i]);
      } else {
        throw new UsageException("--" + name + " needs a value");
      }
    }
    return result;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static void write(Path file, String text) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot write " + file + ": " + e.getMessage());
    }
  }

  private static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
