package io.mutagent.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openapitools.codegen.ClientOptInput;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.config.CodegenConfigurator;
import org.openapitools.codegen.config.GlobalSettings;

/**
 * Generates the Java client of a spec with our templates: the build runs it on
 * {@code openapi/mutagent.yaml} (exec:java in pom.xml, phase generate-sources), and the spec
 * fixture tests run it on the small specs under {@code tests-resources/specs/}, so both get the
 * same generator, settings and templates ({@code generator-templates/config.yaml}).
 */
public final class Generate {
  private Generate() {}

  /**
   * Usage: {@code Generate <config.yaml> <spec> <output folder>}; the output folder is emptied
   * first, so an operation removed from the spec disappears from Java.
   *
   * @param args the configuration file, the spec and the output folder
   */
  public static void main(String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: Generate <config.yaml> <spec> <output folder>");
    }
    generate(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
  }

  /**
   * Empties {@code output} and generates the client of {@code spec} into it.
   *
   * @param config generator-templates/config.yaml; the templates are the files beside it
   * @param spec the OpenAPI document
   * @param output the folder to generate into
   * @throws UncheckedIOException if the output folder cannot be emptied
   * @throws RuntimeException if the generator fails (an invalid spec, a template error)
   */
  public static void generate(Path config, Path spec, Path output) {
    delete(output);
    GlobalSettings.reset();
    try {
      CodegenConfigurator configurator = CodegenConfigurator.fromFile(config.toString());
      if (configurator == null) {
        throw new IllegalArgumentException("cannot read the generator configuration " + config);
      }
      configurator.setTemplateDir(config.toAbsolutePath().getParent().toString())
          .setInputSpec(spec.toString())
          .setOutputDir(output.toString());
      ClientOptInput input = configurator.toClientOptInput();
      DefaultGenerator generator = new DefaultGenerator();
      generator.setGenerateMetadata(false);
      generator.opts(input).generate();
    } finally {
      GlobalSettings.reset();
    }
  }

  private static void delete(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot empty " + folder, e);
    }
  }
}
