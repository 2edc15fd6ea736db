package io.mutagent.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The baseline's jar, when no repository has it, is built from the commit that added its spec, not
 * from HEAD; a shallow clone that lacks that commit says so instead of building the wrong one. The
 * "build" here copies a file that differs between the commits into the jar's place.
 */
class BaselineJarTest {
  private static final String BUILD = "f() { mkdir -p target && cp built-from.txt target/mutagent-java-0.1.0.jar; }; f";

  @TempDir
  Path dir;

  private Path origin;
  private String recordingCommit;

  @BeforeEach
  void history() throws IOException {
    origin = Files.createDirectories(dir.resolve("origin"));
    git(origin, "init", "-q");
    Files.createDirectories(origin.resolve("openapi/released"));
    Files.writeString(origin.resolve("openapi/released/0.1.0.yaml"), "openapi: 3.0.3\n");
    Files.writeString(origin.resolve("built-from.txt"), "the commit that recorded 0.1.0\n");
    git(origin, "add", "-A");
    git(origin, "commit", "-q", "-m", "record 0.1.0");
    recordingCommit = git(origin, "rev-parse", "HEAD").strip();
    Files.writeString(origin.resolve("built-from.txt"), "a later commit\n");
    git(origin, "commit", "-q", "-a", "-m", "later");
  }

  @Test
  void rebuiltFromTheCommitThatAddedTheSpecAndKept() throws IOException {
    Path rebuild = dir.resolve("rebuild");
    BaselineJar.Found found = find(origin, rebuild);
    assertNotNull(found.jar, found.origin);
    assertEquals("the commit that recorded 0.1.0\n", Files.readString(found.jar));
    assertTrue(found.origin.startsWith("rebuilt from commit " + recordingCommit.substring(0, 12)
        + ", the commit that added openapi/released/0.1.0.yaml"), found.origin);

    BaselineJar.Found again = find(origin, rebuild);
    assertEquals(found.jar, again.jar);
    assertTrue(again.origin.contains("from an earlier run"), again.origin);
  }

  @Test
  void aShallowCloneWithoutThatCommitSaysSo() throws IOException {
    Path shallow = dir.resolve("shallow");
    git(dir, "clone", "-q", "--depth", "1", origin.toUri().toString(), shallow.toString());
    BaselineJar.Found found = find(shallow, dir.resolve("rebuild"));
    assertNull(found.jar);
    assertTrue(found.origin.contains("no published jar of 0.1.0 in (no repository given)"), found.origin);
    assertTrue(found.origin.contains("this clone is shallow"), found.origin);
    assertTrue(found.origin.contains("git fetch --unshallow"), found.origin);
  }

  @Test
  void aPublishedJarComesFirst() throws IOException {
    Path repo = dir.resolve("repo");
    Path jar = repo.resolve("io/mutagent/mutagent-java/0.1.0/mutagent-java-0.1.0.jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "published");
    BaselineJar.Found found = BaselineJar.find("0.1.0", List.of(repo.toUri().toString()), dir.resolve("work"),
        origin.resolve("openapi/released/0.1.0.yaml"), dir.resolve("rebuild"), BUILD);
    assertEquals(jar, found.jar);
  }

  private BaselineJar.Found find(Path clone, Path rebuild) {
    return BaselineJar.find("0.1.0", List.of(""), dir.resolve("work"),
        clone.resolve("openapi/released/0.1.0.yaml"), rebuild, BUILD);
  }

  private static String git(Path in, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=test", "-c",
        "user.email=test@mutagent.invalid", "-c", "protocol.file.allow=always"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    try {
      if (process.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + ": " + out);
      }
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
    return out;
  }
}
