package io.mutagent.contract;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs one Prism mock of {@code openapi/mutagent.yaml} for the whole test
 * run: started on a free port the first time a class that uses it runs, with {@code --errors},
 * waited for until it answers HTTP, and stopped when the run ends, whether tests passed or not.
 *
 * <p>Prism comes from the project's lock file ({@code npm ci}, which {@code make test} runs).
 */
public final class PrismServer implements BeforeAllCallback {
  private static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);
  private static volatile Running running;

  /** Returns the base URL of the running mock, e.g. {@code http://127.0.0.1:41234}. */
  public static String baseUrl() {
    Running current = running;
    if (current == null) {
      throw new IllegalStateException(
          "Prism is not running: annotate the test class with @ExtendWith(PrismServer.class)");
    }
    return current.baseUrl;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(PrismServer.class))
        .getOrComputeIfAbsent(Running.class, key -> start(), Running.class);
  }

  private static Running start() {
    Path basedir = Paths.get(System.getProperty("user.dir"));
    Path prism = basedir.resolve("node_modules/.bin/prism");
    if (!Files.isExecutable(prism)) {
      throw new IllegalStateException(
          prism + " is missing: run `npm ci` first (`make test` does it for you)");
    }
    String spec = System.getProperty("mutagent.spec", basedir.resolve("openapi/mutagent.yaml").toString());
    Path log = basedir.resolve("target/prism.log");
    // A free port is only free when checked: another process may take it before Prism binds it.
    // Prism then exits (the port is in use), and the next attempt takes another port. A server
    // that is not Prism never passes for it: readiness needs Prism's own sl-violations header.
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      int port = freePort();
      try {
        Files.createDirectories(log.getParent());
        Process process =
            new ProcessBuilder(
                    List.of(prism.toString(), "mock", "--errors", "-h", "127.0.0.1", "-p",
                        Integer.toString(port), spec))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Running started = new Running(process, "http://127.0.0.1:" + port, log);
        Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        started.awaitReady();
        running = started;
        return started;
      } catch (IOException e) {
        throw new IllegalStateException("could not start Prism: " + e.getMessage(), e);
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free local port for Prism", e);
    }
  }

  /** The Prism process of this run; closed by JUnit at the end of the run. */
  static final class Running implements AutoCloseable {
    final Process process;
    final String baseUrl;
    final Path log;

    Running(Process process, String baseUrl, Path log) {
      this.process = process;
      this.baseUrl = baseUrl;
      this.log = log;
    }

    void awaitReady() {
      Instant deadline = Instant.now().plus(STARTUP_LIMIT);
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "Prism exited with " + process.exitValue() + " before answering:\n" + logTail());
        }
        if (answers()) {
          return;
        }
        sleep(250);
      }
      close();
      throw new IllegalStateException(
          "Prism did not answer on " + baseUrl + " within " + STARTUP_LIMIT + ":\n" + logTail());
    }

    private boolean answers() {
      try {
        HttpURLConnection connection =
            (HttpURLConnection) new URL(baseUrl + "/api/organizations").openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(2000);
        // Without credentials Prism answers 401 and names the broken rule in sl-violations.
        int status = connection.getResponseCode();
        boolean prism = status == 401 && connection.getHeaderField("sl-violations") != null;
        connection.disconnect();
        return prism;
      } catch (IOException notYet) {
        return false;
      }
    }

    String logTail() {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
      } catch (IOException e) {
        return "(no Prism log at " + log + ")";
      }
    }

    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Prism", e);
      }
    }
  }
}
