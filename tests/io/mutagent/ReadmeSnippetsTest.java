package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block in the repository's Markdown (README.md, CONTRIBUTING.md and every
 * {@code docs/*.md}) compiles against the SDK, as Rust's doctests do. The snippets are compiled,
 * never run.
 *
 * <p>The convention, which CONTRIBUTING.md repeats under "Java snippets in Markdown":
 *
 * <ul>
 *   <li>A block whose first code line starts with {@code package}, {@code import} or a top-level
 *       {@code class}, {@code interface}, {@code enum} or {@code record} is a complete compilation
 *       unit and is compiled as written (it declares its own imports).
 *   <li>Any other block is statements: it is placed in the body of an instance method that
 *       {@code throws Exception}, in a class that imports {@link #IMPORTS} and has the fields
 *       {@link #FIELDS} ({@code client}, {@code prompt}, {@code request}, {@code log}), which a
 *       snippet may use without declaring them. A snippet that declares its own {@code client}
 *       (e.g. in try-with-resources) shadows the field.
 *   <li>Each block compiles alone, with {@code --release 11} (the SDK's baseline), so no snippet
 *       sees another's variables. Output and exception messages go in comments.
 *   <li>Code that is not Java, or is not meant to compile (shell, YAML, output), uses another fence
 *       language ({@code ```sh}, {@code ```text}, ...). A fence without a language fails this test,
 *       so Java cannot slip past it unmarked. Only backtick fences are read.
 * </ul>
 *
 * <p>A failure names the file and line of each error and the compiler's message. The test fails
 * when README.md has no Java block, so it cannot pass vacuously, and prints
 * {@code readme: N Java snippets compiled (README.md a, CONTRIBUTING.md b, docs c)}.
 */
class ReadmeSnippetsTest {
  static final Path README = Path.of("README.md");
  static final Path CONTRIBUTING = Path.of("CONTRIBUTING.md");
  static final Path DOCS = Path.of("docs");

  /** The imports a statement snippet may rely on. */
  static final List<String> IMPORTS = List.of(
      "io.mutagent.*", "io.mutagent.models.*", "io.mutagent.errors.*", "io.mutagent.services.*",
      "io.mutagent.prompts.*", "io.mutagent.jobs.*", "io.mutagent.bulk.*",
      "java.util.*", "java.time.*", "java.util.concurrent.*", "com.google.gson.*",
      "java.lang.System.Logger.Level");

  /** The free variables a statement snippet may use, as field declarations. */
  static final List<String> FIELDS = List.of(
      "Mutagent client", "Prompt prompt", "CreatePromptRequest request", "System.Logger log");

  static final Pattern FENCE = Pattern.compile("^(\\s*)```\\s*([^\\s`]*).*$");
  static final Pattern UNIT_START = Pattern.compile(
      "^(package|import)\\s.*|^((public|final|abstract|sealed|non-sealed|strictfp)\\s+)*"
          + "(class|interface|enum|record|@interface)\\s.*");
  static final Pattern PUBLIC_TYPE = Pattern.compile(
      "(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*"
          + "(?:class|interface|enum|record|@interface)\\s+(\\w+)");

  /** A Java block: its file, the line of its first code line, and its code without the fence's indent. */
  record Snippet(String file, int firstLine, String code) {
    Snippet(int firstLine, String code) {
      this("README.md", firstLine, code);
    }
  }

  /** A compilation unit made from a snippet; file line = firstLine + (javac line - offset). */
  record Unit(Snippet snippet, String className, String source, int offset) {}

  /** README.md, CONTRIBUTING.md and docs/*.md, in that order. */
  static List<Path> markdownFiles() throws IOException {
    List<Path> files = new ArrayList<>(List.of(README, CONTRIBUTING));
    try (Stream<Path> docs = Files.list(DOCS)) {
      docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }

  @Test
  void everyJavaSnippetInTheMarkdownCompiles() throws IOException {
    List<String> problems = new ArrayList<>();
    List<Snippet> snippets = new ArrayList<>();
    int readme = 0;
    int contributing = 0;
    for (Path file : markdownFiles()) {
      List<Snippet> found = extract(file.toString().replace('\\', '/'),
          Files.readAllLines(file, StandardCharsets.UTF_8), problems);
      if (file.equals(README)) {
        readme = found.size();
      } else if (file.equals(CONTRIBUTING)) {
        contributing = found.size();
      }
      snippets.addAll(found);
    }
    assertFalse(readme == 0, "README.md has no ```java block: nothing to compile");

    List<Unit> units = new ArrayList<>();
    for (Snippet snippet : snippets) {
      units.add(wrap(snippet));
    }
    problems.addAll(compile(units));

    if (!problems.isEmpty()) {
      fail("the Markdown has code that does not compile (see the convention in ReadmeSnippetsTest):\n  "
          + String.join("\n  ", problems));
    }
    System.out.println("readme: " + snippets.size() + " Java snippets compiled (README.md " + readme
        + ", CONTRIBUTING.md " + contributing + ", docs " + (snippets.size() - readme - contributing) + ")");
  }

  @Test
  void aBrokenSnippetIsReportedAtItsReadmeLine() throws IOException {
    List<String> readme = List.of("# t", "", "```java", "int a = 1;", "String b = a;", "```",
        "", "```", "plain", "```");
    List<String> problems = new ArrayList<>();
    List<Snippet> snippets = extract(readme, problems);

    assertEquals(List.of("README.md:8: a code block without a language: use ```java for Java "
        + "(it is compiled) and ```sh, ```text, ... for anything else"), problems);
    List<String> errors = compile(List.of(wrap(snippets.get(0))));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("README.md:5: incompatible types"), errors.get(0));

    List<Snippet> inDocs = extract("docs/page.md", List.of("```java", "int c = \"c\";", "```"), problems);
    List<String> docsErrors = compile(List.of(wrap(inDocs.get(0))));
    assertEquals(1, docsErrors.size(), docsErrors.toString());
    assertTrue(docsErrors.get(0).startsWith("docs/page.md:2: incompatible types"), docsErrors.get(0));
  }

  /** Returns README.md's Java blocks; adds a problem for each fence without a language or left open. */
  static List<Snippet> extract(List<String> lines, List<String> problems) {
    return extract("README.md", lines, problems);
  }

  /** Returns a file's Java blocks; adds a problem for each fence without a language or left open. */
  static List<Snippet> extract(String file, List<String> lines, List<String> problems) {
    List<Snippet> snippets = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      String indent = open.group(1);
      String language = open.group(2).toLowerCase(Locale.ROOT);
      int start = i + 1;
      int end = start;
      while (end < lines.size() && !lines.get(end).trim().equals("```")) {
        end++;
      }
      if (end == lines.size()) {
        problems.add(file + ":" + (i + 1) + ": a code block that is never closed");
        break;
      }
      if (language.isEmpty()) {
        problems.add(file + ":" + (i + 1) + ": a code block without a language: use ```java for "
            + "Java (it is compiled) and ```sh, ```text, ... for anything else");
      } else if (language.equals("java")) {
        StringBuilder code = new StringBuilder();
        for (String line : lines.subList(start, end)) {
          code.append(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading())
              .append('\n');
        }
        snippets.add(new Snippet(file, start + 1, code.toString()));
      }
      i = end;
    }
    return snippets;
  }

  /** Makes a compilation unit of a snippet, following the convention above. */
  static Unit wrap(Snippet snippet) {
    String prefix = snippet.file().equals("README.md") ? "Readme"
        : snippet.file().replaceAll("\\.md$", "").replaceAll("[^A-Za-z0-9]+", "_") + "_";
    String fallbackName = prefix + "Line" + snippet.firstLine();
    if (isCompilationUnit(snippet.code())) {
      Matcher publicType = PUBLIC_TYPE.matcher(snippet.code());
      String name = publicType.find() ? publicType.group(1) : fallbackName;
      return new Unit(snippet, name, snippet.code(), 1);
    }
    StringBuilder source = new StringBuilder();
    IMPORTS.forEach(i -> source.append("import ").append(i).append(";\n"));
    source.append("abstract class ").append(fallbackName).append(" {\n");
    FIELDS.forEach(f -> source.append("  ").append(f).append(";\n"));
    source.append("  void snippet() throws Exception {\n");
    int offset = (int) source.chars().filter(c -> c == '\n').count() + 1;
    source.append(snippet.code()).append("  }\n}\n");
    return new Unit(snippet, fallbackName, source.toString(), offset);
  }

  static boolean isCompilationUnit(String code) {
    for (String line : code.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("//") || trimmed.startsWith("/*")
          || trimmed.startsWith("*")) {
        continue;
      }
      return UNIT_START.matcher(trimmed).matches();
    }
    return false;
  }

  /** Compiles the units together into a temporary folder; returns one line per error. */
  static List<String> compile(List<Unit> units) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertTrue(javac != null, "no system Java compiler: run the tests on a JDK, not a JRE");
    Path out = Files.createTempDirectory("readme-snippets");
    try {
      List<JavaFileObject> sources = new ArrayList<>();
      for (Unit unit : units) {
        sources.add(new Source(unit));
      }
      List<String> options = List.of("--release", "11", "-proc:none", "-implicit:none",
          "-Xlint:deprecation,unchecked,rawtypes", "-Werror",
          "-classpath", classpath(), "-d", out.toString());
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      StringWriter otherOutput = new StringWriter();
      boolean compiled = javac.getTask(otherOutput, null, diagnostics, options, null, sources).call();
      List<String> problems = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.ERROR && d.getKind() != Diagnostic.Kind.WARNING
            && d.getKind() != Diagnostic.Kind.MANDATORY_WARNING) {
          continue;
        }
        String where = "README.md";
        if (d.getSource() instanceof Source) {
          Unit unit = ((Source) d.getSource()).unit;
          where = unit.snippet().file();
          if (d.getLineNumber() > 0) {
            where += ":" + (unit.snippet().firstLine() + d.getLineNumber() - unit.offset());
          }
        }
        problems.add(where + ": " + d.getMessage(Locale.ROOT).replace("\n", "\n    "));
      }
      if (!compiled && problems.isEmpty()) {
        problems.add("the Markdown: javac failed without a diagnostic: " + otherOutput);
      }
      return problems;
    } finally {
      try (Stream<Path> files = Files.walk(out)) {
        for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * The test classpath. Surefire puts it in {@code java.class.path}; when it launches through a
   * manifest-only jar it is in {@code surefire.test.class.path} instead. When the tests run on the
   * module path (the SDK has a module-info), the SDK's classes and its dependencies are in
   * {@code jdk.module.path}; the snippets are compiled against both, on the class path.
   */
  static String classpath() {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", ""));
    String modulePath = System.getProperty("jdk.module.path", "");
    return modulePath.isEmpty() ? classpath : modulePath + java.io.File.pathSeparator + classpath;
  }

  /** A snippet's compilation unit, in memory, named after its class. */
  static final class Source extends SimpleJavaFileObject {
    final Unit unit;

    Source(Unit unit) {
      super(URI.create("string:///" + unit.className() + ".java"), Kind.SOURCE);
      this.unit = unit;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return unit.source();
    }
  }
}
