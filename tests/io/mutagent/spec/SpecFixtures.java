package io.mutagent.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.codegen.Generate;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A small spec's client, generated with the build's own generator, settings and templates
 * ({@link Generate}, {@code generator-templates/}), compiled with javac at the SDK's Java 11
 * release against the SDK's handwritten classes, and loaded apart from the SDK's own generated
 * classes: its classes under {@code io.mutagent} come first, then {@code target/classes} (the
 * handwritten layer, and generated classes the small spec lacks, such as {@code ErrorBody}).
 * Everything is kept under {@code target/spec-fixtures/<name>/} to look at.
 */
final class SpecFixtures {
  static final Path CONFIG = Path.of("generator-templates", "config.yaml");
  static final Path ROOT = Path.of("target", "spec-fixtures");

  private SpecFixtures() {}

  /** A generated and compiled client. */
  record Fixture(Path sources, Path classes, List<String> warnings) {
    /** Returns a class loader that finds this client's classes before the SDK's generated ones. */
    ClassLoader loader() {
      try {
        URL[] urls = {classes.toUri().toURL(), Path.of("target", "classes").toUri().toURL()};
        return new ChildFirst(urls, SpecFixtures.class.getClassLoader());
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Returns the generated source of a class, e.g. {@code io/mutagent/services/ItemsService.java}. */
    String source(String file) {
      try {
        return Files.readString(sources.resolve(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Generates the client of {@code spec} into {@code target/spec-fixtures/<name>/generated}. */
  static Path generate(Path spec, String name) {
    Path out = ROOT.resolve(name).resolve("generated");
    Generate.generate(CONFIG, spec, out);
    return out.resolve("java");
  }

  /**
   * Generates and compiles the client of a spec under {@code tests-resources/specs/}, with
   * {@code extra} sources (by path, e.g. {@code fixture/Driver.java}) compiled with it.
   * Fails the test, with javac's messages, when it does not compile.
   */
  static Fixture compile(String spec, Map<String, String> extra) {
    String name = spec.replaceFirst("\\.yaml$", "");
    Path sources = generate(Path.of("tests-resources", "specs", spec), name);
    Path classes = ROOT.resolve(name).resolve("classes");
    List<Path> files = javaFiles(sources);
    try {
      for (Map.Entry<String, String> source : extra.entrySet()) {
        Path file = ROOT.resolve(name).resolve("extra").resolve(source.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, source.getValue());
        files.add(file);
      }
      Files.createDirectories(classes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean compiled;
    try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = List.of("--release", "11", "-proc:none", "-encoding", "UTF-8",
          "-Xlint:all,-processing,-serial,-options", "-classpath", classpath(), "-d", classes.toString());
      compiled = javac.getTask(new StringWriter(), fileManager, diagnostics, options, null,
          fileManager.getJavaFileObjectsFromPaths(files)).call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> messages = diagnostics.getDiagnostics().stream()
        .map(d -> d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber())
            + " " + d.getMessage(Locale.ROOT))
        .collect(Collectors.toList());
    assertTrue(compiled, spec + " generates Java that does not compile:\n" + String.join("\n", messages));
    List<String> warnings = diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
        .map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.toList());
    return new Fixture(sources, classes, warnings);
  }

  /**
   * Runs javadoc over the generated sources, with doclint as the release build has it
   * ({@code all,-missing}), and returns its errors and warnings (empty when it has none).
   */
  static List<String> javadoc(Fixture fixture) {
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path out = fixture.classes().resolveSibling("javadoc");
    try (StandardJavaFileManager fileManager = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      Files.createDirectories(out);
      List<String> options = List.of("--release", "11", "-encoding", "UTF-8", "-quiet", "-Xdoclint:all,-missing",
          "-classpath", classpath(), "-d", out.toString());
      StringWriter output = new StringWriter();
      boolean ok = javadoc.getTask(output, fileManager, diagnostics, null, options,
          fileManager.getJavaFileObjectsFromPaths(javaFiles(fixture.sources()))).call();
      List<String> problems = diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
          .map(d -> d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber())
              + " " + d.getMessage(Locale.ROOT))
          .collect(Collectors.toCollection(ArrayList::new));
      if (!ok && problems.isEmpty()) {
        problems.add("javadoc failed: " + output);
      }
      return problems;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> javaFiles(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toCollection(ArrayList::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The test classpath as ReadmeSnippetsTest finds it (the SDK and its dependencies are on the
   * module path when the tests run inside the module), for javac and javadoc.
   */
  static String classpath() {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", ""));
    String modulePath = System.getProperty("jdk.module.path", "");
    return modulePath.isEmpty() ? classpath : modulePath + File.pathSeparator + classpath;
  }

  /**
   * Loads {@code io.mutagent} classes and a fixture's own ({@code fixture.*}) from its URLs first,
   * everything else (OkHttp, Gson, the JDK) from the parent; so a fixture's client runs on a copy
   * of the SDK's handwritten layer, apart from the SDK the tests use.
   */
  private static final class ChildFirst extends URLClassLoader {
    ChildFirst(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("io.mutagent.") && !name.startsWith("fixture.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          try {
            loaded = findClass(name);
          } catch (ClassNotFoundException notHere) {
            return super.loadClass(name, resolve);
          }
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
  }
}
