package io.mutagent.tools;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jar of the last published version, for the Java half of the gate. First looked up in the
 * given repositories; when none has it (0.1.0 was never published), rebuilt from the commit that
 * recorded the version's spec, i.e. the commit that added {@code openapi/released/<version>.yaml}:
 * that commit's sources built with that commit's pom and templates are, byte for byte, what
 * publishing it would have deployed (the build is reproducible).
 *
 * <p>The rebuild exports the commit with {@code git archive} (no worktree to register or clean up),
 * runs {@code $MVN package} there without tests and keeps the jar in the rebuild folder, keyed by
 * the commit, so later runs reuse it. It needs the commit in this clone: in a shallow clone whose
 * history does not reach it, it says so and how to get it, and the Java check does not run.
 */
final class BaselineJar {
  private static final String GROUP_PATH = "io/mutagent/mutagent-java";
  private static final String ARTIFACT = "mutagent-java";

  /** A jar found or rebuilt, with where it came from; or, when {@code jar} is null, why there is none. */
  static final class Found {
    final Path jar;
    final String origin;

    Found(Path jar, String origin) {
      this.jar = jar;
      this.origin = origin;
    }
  }

  private BaselineJar() {}

  /**
   * The jar of {@code version}: from {@code repos}, else rebuilt from git into {@code rebuildDir}
   * (when it is not null), else a {@link Found} with a null jar and the reason.
   */
  static Found find(String version, List<String> repos, Path work, Path releasedSpec, Path rebuildDir) {
    return find(version, repos, work, releasedSpec, rebuildDir,
        System.getenv().getOrDefault("MVN", "mvn -B -ntp"));
  }

  /** As above; {@code mvn} is the Maven command the rebuild runs (the tests give a stand-in). */
  static Found find(String version, List<String> repos, Path work, Path releasedSpec, Path rebuildDir, String mvn) {
    Path published = fetchPublishedJar(version, repos, work);
    if (published != null) {
      return new Found(published, published.toString());
    }
    String where = repos.stream().filter(r -> !r.isBlank()).collect(Collectors.joining(", "));
    String notPublished = "no published jar of " + version + " in "
        + (where.isEmpty() ? "(no repository given)" : where);
    if (rebuildDir == null) {
      return new Found(null, notPublished);
    }
    try {
      return rebuild(version, releasedSpec, rebuildDir, notPublished, mvn);
    } catch (IllegalStateException e) {
      return new Found(null, notPublished + ", and it cannot be rebuilt: " + e.getMessage());
    }
  }

  private static Found rebuild(String version, Path releasedSpec, Path rebuildDir, String notPublished,
      String mvn) {
    Git git = Git.at(releasedSpec.toAbsolutePath().getParent());
    String file = git.relative(releasedSpec);
    String commit = git.run("log", "--diff-filter=A", "--format=%H", "-n", "1", "--", file).strip();
    boolean shallow = git.run("rev-parse", "--is-shallow-repository").strip().equals("true");
    String unshallow = "fetch the full history (git fetch --unshallow) or put the " + version
        + " jar in API_BASELINE_REPOS";
    if (commit.isEmpty()) {
      return new Found(null, notPublished + ", and no commit of this clone added " + file
          + (shallow ? " (the clone is shallow: " + unshallow + ")" : ""));
    }
    if (shallow && git.shallowBoundaries().contains(commit)) {
      // The first commit of a shallow history "adds" every file: it is not the commit we want.
      return new Found(null, notPublished + ", and this clone is shallow: its history starts at "
          + commit.substring(0, 12) + ", so the commit that added " + file + " is not in it; " + unshallow);
    }
    String shortCommit = commit.substring(0, 12);
    String origin = "rebuilt from commit " + shortCommit + ", the commit that added " + file;
    Path dir = rebuildDir.resolve(version + "-" + shortCommit);
    Path jar = dir.resolve(ARTIFACT + "-" + version + ".jar");
    if (Files.isRegularFile(jar)) {
      return new Found(jar, origin + "; kept in " + dir + " from an earlier run");
    }
    System.out.println("api-diff: java: " + notPublished + "; rebuilding it from commit " + shortCommit
        + " (the commit that added " + file + ")");
    if (!git.run("show", commit + ":" + file).equals(read(releasedSpec))) {
      System.out.println("api-diff: java: note: " + file + " was changed after " + shortCommit
          + "; the jar is built from the commit that added it");
    }
    Path src = dir.resolve("src");
    Path log = dir.resolve("build.log");
    try {
      delete(dir);
      Files.createDirectories(src);
      Path tar = dir.resolve("src.tar");
      git.run("archive", "--format=tar", "-o", tar.toAbsolutePath().toString(), commit);
      exec(List.of("tar", "-xf", tar.toAbsolutePath().toString(), "-C", src.toAbsolutePath().toString()),
          dir, dir.resolve("tar.log"));
      Files.delete(tar);
      long start = System.nanoTime();
      int status = exec(List.of("bash", "-c", mvn + " -q package -Dmaven.test.skip=true -Drevision=" + version),
          src, log);
      Path built = src.resolve("target").resolve(ARTIFACT + "-" + version + ".jar");
      if (status != 0 || !Files.isRegularFile(built)) {
        return new Found(null, notPublished + ", and the rebuild from commit " + shortCommit
            + " failed (exit " + status + "; log: " + log + ")");
      }
      Files.copy(built, jar, StandardCopyOption.REPLACE_EXISTING);
      delete(src);
      System.out.println("api-diff: java: rebuilt " + version + " in "
          + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + " s");
      return new Found(jar, origin);
    } catch (IOException | RuntimeException e) {
      return new Found(null, notPublished + ", and the rebuild from commit " + shortCommit + " failed: " + e);
    }
  }

  /** Finds mutagent-java-{version}.jar in the first repository (file: or http(s):) that has it. */
  static Path fetchPublishedJar(String version, List<String> repos, Path work) {
    String relative = GROUP_PATH + "/" + version + "/" + ARTIFACT + "-" + version + ".jar";
    for (String repo : repos) {
      if (repo.isBlank()) {
        continue;
      }
      String base = repo.endsWith("/") ? repo : repo + "/";
      URI uri = URI.create(base + relative);
      try {
        if ("file".equals(uri.getScheme())) {
          Path path = Paths.get(uri);
          if (Files.isRegularFile(path)) {
            return path;
          }
          continue;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<InputStream> response = http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
          if (response.statusCode() != 200) {
            continue;
          }
          Files.createDirectories(work);
          Path target = work.resolve(ARTIFACT + "-" + version + ".jar");
          Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
          return target;
        }
      } catch (IOException e) {
        System.out.println("api-diff: could not read " + uri + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  /**
   * Runs a command in {@code dir}, its output to {@code log}. A Maven started from inside a Maven
   * build (the api-gate profile runs this tool) must find its own project: the outer launcher's
   * variables are not passed on.
   */
  static int exec(List<String> command, Path dir, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove("MAVEN_PROJECTBASEDIR");
    builder.environment().remove("MAVEN_CMD_LINE_ARGS");
    Process process = builder.start();
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(path);
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The few git commands the rebuild needs, run in one repository. */
  private static final class Git {
    private final Path top;

    private Git(Path top) {
      this.top = top;
    }

    static Git at(Path dir) {
      String top;
      try {
        top = run(dir, "rev-parse", "--show-toplevel").strip();
      } catch (IllegalStateException e) {
        throw new IllegalStateException("this is not a git checkout (" + dir + ")");
      }
      return new Git(Paths.get(top));
    }

    String relative(Path file) {
      try {
        return top.toRealPath().relativize(file.toAbsolutePath().toRealPath()).toString().replace('\\', '/');
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    String run(String... args) {
      return run(top, args);
    }

    List<String> shallowBoundaries() {
      Path file = top.resolve(run("rev-parse", "--git-path", "shallow").strip());
      try {
        return Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
      } catch (IOException e) {
        return List.of();
      }
    }

    private static String run(Path dir, String... args) {
      List<String> command = new ArrayList<>();
      command.add("git");
      command.addAll(List.of(args));
      try {
        Process process = new ProcessBuilder(command).directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        int status = process.waitFor();
        if (status != 0) {
          throw new IllegalStateException(String.join(" ", command) + " failed (exit " + status + ")");
        }
        return new String(out, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
