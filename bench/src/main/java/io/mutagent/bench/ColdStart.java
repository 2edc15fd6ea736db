package io.mutagent.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Cold start: a fresh JVM that builds a client and makes one getPrompt against the loopback
 * server ({@link ServerProcess}), for three clients, each in its own main class so that nothing
 * else is loaded: the SDK ({@link ColdSdk}), raw OkHttp + Gson ({@link ColdRaw}) and a minimal
 * Retrofit client with one interface and the Gson converter ({@link ColdRetrofit}). Runs
 * {@code rounds} rounds (default 9); each round starts the three in turn, the order rotating from
 * round to round, so that a busy moment of a shared machine weighs on all three alike. Writes
 * every run to the JSON file given as first argument; {@link Report} takes the medians.
 *
 * <p>Each child prints {@code COLD <launchMs> <mainMs> <classes>}: milliseconds from just
 * before this JVM started it (a timestamp passed in) to the parsed answer, milliseconds from the
 * child's {@code main} to the parsed answer, and the classes loaded by then (counted after the
 * answer, so the count includes the management classes that read it, alike for all three).
 */
public final class ColdStart {
  static final String[] KINDS = {"sdk", "raw", "retrofit"};

  private ColdStart() {}

  /** Arguments: the output JSON file, optionally the number of rounds. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    String java = ProcessHandle.current().info().command().orElse("java");
    String extra = System.getProperty("cold.jvmArgs", "").trim();
    JsonObject out = new JsonObject();
    for (String kind : KINDS) {
      out.add(kind, new JsonArray());
    }
    try (ServerProcess server = ServerProcess.start()) {
      // One warm-up of each, not recorded: the OS file cache then holds the JDK and the jars.
      for (String kind : KINDS) {
        run(java, extra, kind, server.url);
      }
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < KINDS.length; i++) {
          String kind = KINDS[(round + i) % KINDS.length];
          long[] r = run(java, extra, kind, server.url);
          JsonObject run = new JsonObject();
          run.addProperty("launchMs", r[0]);
          run.addProperty("mainMs", r[1]);
          run.addProperty("classes", r[2]);
          out.getAsJsonArray(kind).add(run);
          System.out.printf("cold start round %d %-8s launch %4d ms  main %4d ms  %d classes%n",
              round + 1, kind, r[0], r[1], r[2]);
        }
      }
    }
    for (String kind : KINDS) {
      List<Double> launch = new ArrayList<>();
      List<Double> main = new ArrayList<>();
      List<Double> classes = new ArrayList<>();
      for (var e : out.getAsJsonArray(kind)) {
        launch.add(e.getAsJsonObject().get("launchMs").getAsDouble());
        main.add(e.getAsJsonObject().get("mainMs").getAsDouble());
        classes.add(e.getAsJsonObject().get("classes").getAsDouble());
      }
      System.out.printf("cold start median %-8s launch %4.0f ms  main %4.0f ms  %.0f classes%n",
          kind, median(launch), median(main), median(classes));
    }
    Files.write(Paths.get(args[0]), out.toString().getBytes(StandardCharsets.UTF_8));
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static long[] run(String java, String extra, String kind, String url) throws IOException, InterruptedException {
    String main = kind.equals("sdk") ? ColdSdk.class.getName()
        : kind.equals("raw") ? ColdRaw.class.getName() : ColdRetrofit.class.getName();
    List<String> command = new ArrayList<>();
    command.add(java);
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main, url,
        SpecExamples.PROMPT_ID, Long.toString(System.currentTimeMillis())));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String result = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("COLD ")) {
          result = line;
        }
      }
    }
    int status = process.waitFor();
    if (status != 0 || result == null) {
      throw new IllegalStateException(kind + " cold-start run failed (exit " + status + ", printed " + result + ")");
    }
    String[] parts = result.split(" ");
    return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])};
  }

  /** Prints the child's result line and exits (a client's threads must not keep the JVM up). */
  static void report(long launchedAtMillis, long mainNanos, Object answer) {
    long end = System.nanoTime();
    long endMillis = System.currentTimeMillis();
    if (answer == null) {
      throw new IllegalStateException("no answer");
    }
    long classes = java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    System.out.println("COLD " + (endMillis - launchedAtMillis) + " " + (end - mainNanos) / 1_000_000 + " " + classes);
    System.out.flush();
    System.exit(0);
  }
}
