package io.mutagent.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link BenchServer} in a child JVM (the same java binary and classpath as this one) and
 * stops it on {@link #close()}. The child also exits on its own when this JVM dies, because its
 * standard input closes.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  /** The server's base URL, {@code http://127.0.0.1:port}. */
  final String url;

  private ServerProcess(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts the server and waits until it listens. */
  static ServerProcess start() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx512m",
        "-Dbench.spec=" + SpecExamples.specPath(),
        "-cp", System.getProperty("java.class.path"), BenchServer.class.getName()));
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("PORT ")) {
      process.destroyForcibly();
      throw new IOException("the benchmark server did not start (it printed " + line + ")");
    }
    return new ServerProcess(process, "http://127.0.0.1:" + line.substring(5).trim());
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
