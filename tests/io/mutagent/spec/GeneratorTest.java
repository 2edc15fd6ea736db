package io.mutagent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The generator, as the build runs it on the spec: what it logs. The tests' SLF4J log (warnings
 * and errors) goes to {@code target/test-slf4j.log} (pom.xml, surefire's system properties).
 */
class GeneratorTest {
  private static final Path LOG = Path.of("target", "test-slf4j.log");

  /** The build output shows the generator's warnings; generating the spec must give none. */
  @Test
  void generatingTheSpecLogsNoWarning() throws IOException {
    LoggerFactory.getLogger(GeneratorTest.class); // the log file is created when SLF4J starts
    long before = Files.exists(LOG) ? Files.size(LOG) : 0;
    Path java = SpecFixtures.generate(Path.of(SpecRulesTest.specLocation()), "mutagent");
    assertTrue(Files.exists(java.resolve("io/mutagent/services/PromptService.java")), "nothing generated in " + java);
    byte[] log = Files.readAllBytes(LOG);
    List<String> lines = new String(log, (int) before, log.length - (int) before, StandardCharsets.UTF_8)
        .lines().filter(line -> !line.isBlank()).collect(Collectors.toList());
    assertEquals(List.of(), lines, "the generator logged this while generating " + SpecRulesTest.specLocation());
  }
}
