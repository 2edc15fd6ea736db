package io.mutagent.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns one `make bench` run into the table of docs/benchmarks.md: ratios first, absolute figures
 * second, each next to its target from issue 14 with met/missed. Reads the results folder that
 * bench/run.sh fills (JMH JSON, the async and thread-probe JSON per JDK, the SDK's runtime
 * classpath and machine.txt), prints the table and writes it to {@code table.md} there.
 *
 * <p>Usage: {@code Report results-dir sdk-jar}
 */
public final class Report {
  /** The targets of issue 14, in one place. */
  static final double GET_AVG = 1.05;
  static final double GET_P99 = 1.15;
  static final double GET_ALLOC = 1.2;
  static final double LIST_AVG = 1.10;
  static final double LIST_ALLOC = 1.3;
  static final double ASYNC_THROUGHPUT = 0.95;
  static final int ASYNC_THREADS_JAVA21 = 8;
  static final long JAR_BYTES = 600_000;
  static final long CLOSURE_BYTES = 4_100_000;
  /** Issue 21's cold-start targets: build + first getPrompt in a fresh JVM, ours / raw and ours / minimal Retrofit. */
  static final double COLD_VS_RAW = 1.10;
  static final double COLD_VS_RETROFIT = 1.05;
  /** Issue 24's targets: a prompt-cache hit (ns, and bytes allocated: none beyond the lookup), a batcher's add (ns). */
  static final double CACHE_HIT_NS = 1000;
  static final double CACHE_HIT_BYTES = 1;
  static final double BATCHER_ADD_NS = 2000;

  private final Path dir;
  /** LifecycleBench's results, by method name. */
  private final Map<String, JsonObject> jmh = new HashMap<>();
  /** BlockingBench's results, one map a round (jmh-blocking-<round>.json), by method name. */
  private final List<Map<String, JsonObject>> rounds = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();

  private Report(Path dir) {
    this.dir = dir;
  }

  /** Prints the table and writes table.md. */
  public static void main(String[] args) throws IOException {
    if (args[0].equals("--production")) { // bench/run.sh with BENCH_ONLY=production
      Report report = new Report(Paths.get(args[1]));
      report.productionRows();
      System.out.print(report.out);
      return;
    }
    if (args[0].equals("--cold-start")) { // bench/run.sh with BENCH_ONLY=cold-start
      Report report = new Report(Paths.get(args[1]));
      report.coldStartRows();
      System.out.print(report.out);
      return;
    }
    Report report = new Report(Paths.get(args[0]));
    report.write(Paths.get(args[1]));
    Files.write(report.dir.resolve("table.md"), report.out.toString().getBytes(StandardCharsets.UTF_8));
    System.out.print(report.out);
  }

  private void write(Path sdkJar) throws IOException {
    jmh.putAll(jmhResults("jmh.json"));
    // async-ours-<java>-<pair>.json and async-raw-<java>-<pair>.json: the pairs of one JDK.
    Map<Integer, List<JsonObject>> asyncs = new TreeMap<>();
    List<JsonObject> probes = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        String name = file.getFileName().toString();
        if (name.startsWith("jmh-blocking-") && name.endsWith(".json")) {
          rounds.add(jmhResults(name));
        } else if (name.startsWith("async-ours-") && name.endsWith(".json")) {
          JsonObject ours = json(name);
          JsonObject raw = json(name.replace("async-ours-", "async-raw-"));
          ours.add("raw", raw);
          asyncs.computeIfAbsent(ours.get("javaMajor").getAsInt(), k -> new ArrayList<>()).add(ours);
        } else if (name.startsWith("threads-") && name.endsWith(".json")) {
          probes.add(json(name));
        }
      }
    }
    List<Path> closure = new ArrayList<>();
    closure.add(sdkJar);
    for (String entry : read("sdk-runtime-classpath.txt").trim().split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty()) {
        closure.add(Paths.get(entry));
      }
    }
    long jarBytes = Files.size(sdkJar);
    long closureBytes = 0;
    for (Path jar : closure) {
      closureBytes += Files.size(jar);
    }

    line("Machine: " + read("machine.txt").trim().replace("\n", "; ") + ".");
    line("");
    line("Ratios: ours (io.mutagent.Mutagent / AsyncMutagent) against raw OkHttp + Gson and against");
    line("the client of the stock OpenAPI Generator 7.25.0 retrofit2 templates, measured in the same run.");
    line("Below 1.00x is faster or smaller for time and bytes; for throughput, above 1.00x is faster.");
    line("Blocking calls: each ratio is the median of the rounds' ratios (each round runs all three");
    line("clients minutes apart at most), listed in the row.");
    line("");
    line("| figure | ours / raw | target | | ours / stock |");
    line("|---|---|---|---|---|");
    ratioRow("getPrompt average latency", "getPrompt", "avg", GET_AVG);
    ratioRow("getPrompt p99 latency", "getPrompt", "p99", GET_P99);
    ratioRow("getPrompt bytes allocated per call", "getPrompt", "alloc", GET_ALLOC);
    ratioRow("listPrompts (50 items) average latency", "listPrompts", "avg", LIST_AVG);
    ratioRow("listPrompts (50 items) p99 latency", "listPrompts", "p99", Double.NaN);
    ratioRow("listPrompts (50 items) bytes allocated per call", "listPrompts", "alloc", LIST_ALLOC);
    datesRow("listPrompts (50 items) and every item's two dates read: average latency", "avg");
    datesRow("listPrompts (50 items) and every item's two dates read: bytes allocated per call", "alloc");
    interleavedRows(dir.resolve("interleaved.json"));
    for (Map.Entry<Integer, List<JsonObject>> java : asyncs.entrySet()) {
      List<Double> ratios = new ArrayList<>();
      for (JsonObject ours : java.getValue()) {
        ratios.add(field(ours.getAsJsonObject("raw"), "medianNanos") / field(ours, "medianNanos"));
      }
      double ratio = median(ratios);
      line(String.format(Locale.ROOT, "| async throughput, Java %d (10,000 calls, 256 in flight; raw time / ours; median of %d pairs: %s) | %s | >= %.2fx | %s | n/a |",
          java.getKey(), ratios.size(), ratios.stream().map(Report::x).collect(Collectors.joining(", ")),
          x(ratio), ASYNC_THROUGHPUT, met(ratio >= ASYNC_THROUGHPUT)));
    }
    line(String.format(Locale.ROOT, "| client build time | %s | none | | %s |",
        x(avg("build_ours") / avg("build_raw")), x(avg("build_ours") / avg("build_stock"))));
    line("");
    line("Absolute figures (us = microseconds, ms = milliseconds; KB = 10^3 bytes, MB = 10^6 bytes;");
    line("averages with JMH's 99.9% error).");
    line("");
    line("| figure | ours | raw OkHttp + Gson | stock generator | target | |");
    line("|---|---|---|---|---|---|");
    for (String op : new String[] {"getPrompt", "listPrompts"}) {
      String label = op.equals("getPrompt") ? "getPrompt" : "listPrompts (50 items)";
      line(String.format(Locale.ROOT, "| %s average (us; median of the rounds, their range) | %s | %s | %s | | |", label,
          spread(op + "_ours", "avg"), spread(op + "_raw", "avg"), spread(op + "_stock", "avg")));
      line(String.format(Locale.ROOT, "| %s p99 (us; median of the rounds, their range) | %s | %s | %s | | |", label,
          spread(op + "_ours", "p99"), spread(op + "_raw", "p99"), spread(op + "_stock", "p99")));
      line(String.format(Locale.ROOT, "| %s allocated per call (KB; median of the rounds) | %.1f | %.1f | %.1f | | |", label,
          roundsMedian(op + "_ours", "alloc") / 1e3, roundsMedian(op + "_raw", "alloc") / 1e3,
          roundsMedian(op + "_stock", "alloc") / 1e3));
      if (op.equals("listPrompts")) {
        line(String.format(Locale.ROOT, "| listPrompts (50 items) and every item's two dates read: average (us) and allocated per call (KB) | %s; %.1f | n/a | n/a | | |",
            spread("listPromptsReadingDates_ours", "avg"), roundsMedian("listPromptsReadingDates_ours", "alloc") / 1e3));
      }
    }
    for (Map.Entry<Integer, List<JsonObject>> entry : asyncs.entrySet()) {
      int java = entry.getKey();
      List<JsonObject> ours = entry.getValue();
      List<JsonObject> raw = new ArrayList<>();
      for (JsonObject run : ours) {
        raw.add(run.getAsJsonObject("raw"));
      }
      line(String.format(Locale.ROOT, "| async, Java %d (%s): 10,000 getPrompt, 256 in flight, median wall time (ms; median of the runs) | %.0f | %.0f | n/a | | |",
          java, ours.get(0).get("javaVersion").getAsString(), median(ours, "medianNanos") / 1e6,
          median(raw, "medianNanos") / 1e6));
      line(String.format(Locale.ROOT, "| async, Java %d: CPU time of the client JVM per 10,000 calls (ms; median of the runs) | %.0f | %.0f | n/a | | |",
          java, median(ours, "medianCpuNanos") / 1e6, median(raw, "medianCpuNanos") / 1e6));
      JsonObject oursMost = most(ours);
      int added = oursMost.get("threadsAdded").getAsInt();
      // Issue 14 sets a number only for Java 21+; below that the bound is the README's to state.
      String target = java >= 21 ? "<= " + ASYNC_THREADS_JAVA21 : "bounded (the README says how many)";
      String verdict = java >= 21 ? met(added <= ASYNC_THREADS_JAVA21) : "n/a";
      line(String.format(Locale.ROOT, "| async, Java %d: platform threads added (peak minus before the client; the most of the runs) | %d | %d | n/a | %s | %s |",
          java, added, most(raw).get("threadsAdded").getAsInt(), target, verdict));
      line(String.format(Locale.ROOT, "| async, Java %d: the added threads at that peak, by name | %s | %s | n/a | | |",
          java, names(oursMost), names(most(raw))));
      int failures = 0;
      for (int i = 0; i < ours.size(); i++) {
        failures += ours.get(i).get("failures").getAsInt() + raw.get(i).get("failures").getAsInt();
      }
      if (failures > 0) {
        line(String.format(Locale.ROOT, "| async, Java %d: FAILED CALLS (the figures above are void) | %d | n/a | n/a | 0 | missed |",
            java, failures));
      }
    }
    line(String.format(Locale.ROOT, "| client build (us) | %s | %s | %s | | |",
        avgWithError("build_ours"), avgWithError("build_raw"), avgWithError("build_stock")));
    line(String.format(Locale.ROOT, "| derived client copy, `Ours.derive` (us) | %s | n/a | n/a | | |",
        avgWithError("copy_ours")));
    // The rate limiter (issue 22) alone: ns per call, next to a getPrompt of tens of microseconds.
    line(String.format(Locale.ROOT, "| rate limiter per call: permit asked and released with the headers, "
        + "`RateLimiterBench` (ns) | %s | n/a | n/a | | |", avgWithError("askAndRelease")));
    for (JsonObject probe : probes) {
      int java = probe.get("javaMajor").getAsInt();
      int copyThreads = probe.get("copyNewThreads").getAsInt();
      line(String.format(Locale.ROOT, "| Java %d: new threads after %d derived clients each made a blocking and an async call | %d | n/a | n/a | 0 | %s |",
          java, probe.get("copies").getAsInt(), copyThreads, met(copyThreads == 0)));
      int alive = probe.get("sdkThreadsAfterClose").getAsInt();
      line(String.format(Locale.ROOT, "| Java %d: SDK threads (mutagent-*) alive after close() | %d | n/a | n/a | 0 | %s |",
          java, alive, met(alive == 0)));
      line(String.format(Locale.ROOT, "| Java %d: all threads added since before the client, after close() | %d: %s | n/a | n/a | | |",
          java, probe.get("threadsAddedAfterClose").getAsInt(),
          probe.get("threadNamesAddedAfterClose").toString().replace("\"", "")));
    }
    line(String.format(Locale.ROOT, "| SDK jar (MB) | %.3f | n/a | n/a | <= %.3f | %s |",
        jarBytes / 1e6, JAR_BYTES / 1e6, met(jarBytes <= JAR_BYTES)));
    line(String.format(Locale.ROOT, "| runtime closure: SDK jar + runtime dependencies (MB) | %.3f | n/a | n/a | <= %.3f | %s |",
        closureBytes / 1e6, CLOSURE_BYTES / 1e6, met(closureBytes <= CLOSURE_BYTES)));
    line("");
    line("The runtime closure, jar by jar (MB):");
    line("");
    for (Path jar : closure) {
      line(String.format(Locale.ROOT, "- %s: %.3f", jar.getFileName(), Files.size(jar) / 1e6));
    }
    line("");
    coldStartRows();
    line("");
    productionRows();
  }

  /**
   * In production (issue 24): ProductionBench (jmh-production.json) on the caller's thread, and
   * TraceThroughput (trace-throughput.json), the batcher against one ingestTraces call a trace.
   */
  private void productionRows() throws IOException {
    Map<String, JsonObject> bench = jmhResults("jmh-production.json");
    line("In production: the prompt cache and the trace batcher on the caller's thread (ProductionBench, JMH");
    line("average time, -prof gc), and traces per second sent (TraceThroughput, medians of its rounds).");
    line("");
    line("| figure | ours | target | |");
    line("|---|---|---|---|");
    String[][] rows = {
        {"promptCacheHit", "PromptCache.get(id), a fresh hit", "cache"},
        {"promptCacheHitWithFallback", "PromptCache.get(id, fallbackContent), a fresh hit", "cache"},
        {"traceBatcherAdd", "TraceBatcher.add(trace), the spec's example trace as read from its JSON", "add"},
        {"traceBatcherAddBuilt", "TraceBatcher.add(trace), the same trace made with the builders", "add"},
        {"traceBatcherAddBuiltServerSilent", "TraceBatcher.add(trace), built, the server never answering (the sender idle)", "add"}};
    for (String[] row : rows) {
      JsonObject run = run(bench, row[0]);
      JsonObject metric = run.getAsJsonObject("primaryMetric");
      double ns = metric.get("score").getAsDouble();
      double error = metric.get("scoreError").getAsDouble();
      double bytes = alloc(row[0], run);
      boolean cache = row[2].equals("cache");
      double target = cache ? CACHE_HIT_NS : BATCHER_ADD_NS;
      line(String.format(Locale.ROOT, "| %s: average (ns) | %.0f +- %.0f | < %.0f | %s |", row[1], ns,
          Double.isNaN(error) ? 0 : error, target, met(ns < target)));
      if (cache) {
        line(String.format(Locale.ROOT, "| %s: bytes allocated per call | %.1f | none (< %.0f) | %s |", row[1], bytes,
            CACHE_HIT_BYTES, met(bytes < CACHE_HIT_BYTES)));
      } else {
        List<Double> caller = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (String json : read("production-caller-alloc.jsonl").split("\n")) {
          if (!json.isBlank()) {
            JsonObject iteration = JsonParser.parseString(json).getAsJsonObject();
            if (iteration.get("benchmark").getAsString().equals(row[0])) {
              caller.add(iteration.get("callerBytesPerAdd").getAsDouble());
              cpu.add(iteration.get("callerCpuNanosPerAdd").getAsDouble());
            }
          }
        }
        double cpuNs = median(cpu);
        line(String.format(Locale.ROOT, "| %s: the caller thread's CPU time per call (ns; median of the iterations) | %.0f | < %.0f | %s |",
            row[1], cpuNs, target, met(cpuNs < target)));
        line(String.format(Locale.ROOT, "| %s: bytes allocated per call on the caller's thread (median of the iterations) | %.1f | none | |",
            row[1], median(caller)));
        line(String.format(Locale.ROOT, "| %s: bytes allocated per call by every thread (the sender's and OkHttp's too) | %.1f | none | |",
            row[1], bytes));
      }
    }
    JsonObject throughput = json("trace-throughput.json");
    List<JsonObject> runs = new ArrayList<>();
    for (JsonElement round : throughput.getAsJsonArray("rounds")) {
      runs.add(round.getAsJsonObject());
    }
    double batcher = median(runs, "batcherTracesPerSecond");
    double single = median(runs, "singleTracesPerSecond");
    line(String.format(Locale.ROOT, "| traces per second through a TraceBatcher (%,d traces, added then flushed; rounds: %s) | %,.0f | none | |",
        throughput.get("batched").getAsInt(), list(runs, "batcherTracesPerSecond"), batcher));
    line(String.format(Locale.ROOT, "| traces per second with one blocking ingestTraces call a trace (%,d calls; rounds: %s) | %,.0f | none | |",
        throughput.get("single").getAsInt(), list(runs, "singleTracesPerSecond"), single));
    line(String.format(Locale.ROOT, "| batcher / one call a trace | %.0fx | none | |", batcher / single));
    line(String.format(Locale.ROOT, "| client JVM CPU per trace (us): batcher; one call a trace | %.1f; %.1f | none | |",
        median(runs, "batcherCpuMicrosPerTrace"), median(runs, "singleCpuMicrosPerTrace")));
    line("| load average during the throughput rounds | " + runs.stream().map(r -> r.get("loadAverage").getAsString()
        .split(" ")[0]).collect(Collectors.joining(", ")) + " | | |");
  }

  private static String list(List<JsonObject> runs, String name) {
    return runs.stream().map(r -> String.format(Locale.ROOT, "%,.0f", field(r, name))).collect(Collectors.joining(", "));
  }

  /**
   * Cold start (ColdStart, cold-start.json): a fresh JVM builds a client and makes one getPrompt;
   * medians over the runs of each client, their ratios against issue 21's targets. A table of its
   * own, since its third client is a minimal Retrofit one, not the stock generator's.
   */
  private void coldStartRows() throws IOException {
    JsonObject cold = json("cold-start.json");
    String[] kinds = {"sdk", "raw", "retrofit"};
    int runs = cold.getAsJsonArray("sdk").size();
    line(String.format(Locale.ROOT, "Cold start: a fresh JVM builds a client and makes one getPrompt against the loopback server"));
    line(String.format(Locale.ROOT, "(ColdStart; medians of %d fresh JVMs each, the three clients taking turns).", runs));
    line("");
    line("| cold start | ours | raw OkHttp + Gson | minimal Retrofit | ours / raw | target | | ours / minimal Retrofit | target | |");
    line("|---|---|---|---|---|---|---|---|---|---|");
    String[][] figures = {{"mainMs", "main to the parsed answer (ms)"},
        {"launchMs", "JVM launch to the parsed answer (ms)"}, {"classes", "classes loaded by then"}};
    for (String[] figure : figures) {
      double[] medians = new double[kinds.length];
      for (int i = 0; i < kinds.length; i++) {
        List<Double> values = new ArrayList<>();
        for (JsonElement run : cold.getAsJsonArray(kinds[i])) {
          values.add(run.getAsJsonObject().get(figure[0]).getAsDouble());
        }
        medians[i] = median(values);
      }
      double vsRaw = medians[0] / medians[1];
      double vsRetrofit = medians[0] / medians[2];
      boolean target = figure[0].equals("mainMs");
      line(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %s | %s | %s | %s | %s | %s |", figure[1],
          medians[0], medians[1], medians[2], x(vsRaw),
          target ? String.format(Locale.ROOT, "<= %.2fx", COLD_VS_RAW) : "none", target ? met(vsRaw <= COLD_VS_RAW) : "",
          x(vsRetrofit), target ? String.format(Locale.ROOT, "<= %.2fx", COLD_VS_RETROFIT) : "none",
          target ? met(vsRetrofit <= COLD_VS_RETROFIT) : ""));
    }
  }

  /** A blocking figure's row: the median over the rounds of each round's ratio, and the ratios. */
  private void ratioRow(String label, String op, String kind, double target) {
    List<Double> vsRaw = new ArrayList<>();
    List<Double> vsStock = new ArrayList<>();
    for (Map<String, JsonObject> round : rounds) {
      double ours = value(round, op + "_ours", kind);
      vsRaw.add(ours / value(round, op + "_raw", kind));
      vsStock.add(ours / value(round, op + "_stock", kind));
    }
    double ratio = median(vsRaw);
    String targetText = Double.isNaN(target) ? "none" : String.format(Locale.ROOT, "<= %.2fx", target);
    String verdict = Double.isNaN(target) ? "" : met(ratio <= target);
    line(String.format(Locale.ROOT, "| %s (rounds: %s) | %s | %s | %s | %s |", label,
        vsRaw.stream().map(Report::x).collect(Collectors.joining(", ")), x(ratio), targetText, verdict,
        x(median(vsStock))));
  }

  /**
   * The blocking calls with both clients taking turns in one JVM (CpuProbe): wall time and the
   * calling thread's CPU time per call, ours / raw, median of the rounds. No target: JMH's rows
   * carry them; these show how far the machine's load moves JMH's.
   */
  private void interleavedRows(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    JsonObject probe = json(file.getFileName().toString());
    for (String op : new String[] {"getPrompt", "listPrompts"}) {
      String label = op.equals("getPrompt") ? "getPrompt" : "listPrompts (50 items)";
      for (String kind : new String[] {"Wall", "Cpu"}) {
        List<Double> ratios = new ArrayList<>();
        for (com.google.gson.JsonElement round : probe.getAsJsonArray(op)) {
          JsonObject r = round.getAsJsonObject();
          ratios.add(r.get("ours" + kind + "Micros").getAsDouble() / r.get("raw" + kind + "Micros").getAsDouble());
        }
        line(String.format(Locale.ROOT, "| %s %s, one JVM, the two clients taking turns (CpuProbe; rounds: %s) | %s | none | | n/a |",
            label, kind.equals("Wall") ? "average latency" : "calling thread's CPU per call",
            ratios.stream().map(Report::x).collect(Collectors.joining(", ")), x(median(ratios))));
      }
    }
  }

  /**
   * The SDK's listPrompts with its 100 dates read (it parses them then) against raw and stock
   * listPrompts as they are: no target, it shows what a caller who reads the dates pays.
   */
  private void datesRow(String label, String kind) {
    List<Double> vsRaw = new ArrayList<>();
    List<Double> vsStock = new ArrayList<>();
    for (Map<String, JsonObject> round : rounds) {
      double ours = value(round, "listPromptsReadingDates_ours", kind);
      vsRaw.add(ours / value(round, "listPrompts_raw", kind));
      vsStock.add(ours / value(round, "listPrompts_stock", kind));
    }
    line(String.format(Locale.ROOT, "| %s (rounds: %s) | %s | none | | %s |", label,
        vsRaw.stream().map(Report::x).collect(Collectors.joining(", ")), x(median(vsRaw)), x(median(vsStock))));
  }

  private static double value(Map<String, JsonObject> results, String benchmark, String kind) {
    switch (kind) {
      case "avg": return avg(run(results, benchmark));
      case "p99": return p99(run(results, benchmark));
      case "alloc": return alloc(benchmark, run(results, benchmark));
      default: throw new IllegalArgumentException(kind);
    }
  }

  /** The median over the rounds of one client's figure. */
  private double roundsMedian(String benchmark, String kind) {
    List<Double> values = new ArrayList<>();
    for (Map<String, JsonObject> round : rounds) {
      values.add(value(round, benchmark, kind));
    }
    return median(values);
  }

  /** "132 (128-140)": the median over the rounds and their range. */
  private String spread(String benchmark, String kind) {
    List<Double> values = new ArrayList<>();
    for (Map<String, JsonObject> round : rounds) {
      values.add(value(round, benchmark, kind));
    }
    return String.format(Locale.ROOT, "%.0f (%.0f-%.0f)", median(values), Collections.min(values),
        Collections.max(values));
  }

  private Map<String, JsonObject> jmhResults(String file) throws IOException {
    Map<String, JsonObject> results = new HashMap<>();
    for (JsonElement e : JsonParser.parseString(read(file)).getAsJsonArray()) {
      JsonObject run = e.getAsJsonObject();
      String name = run.get("benchmark").getAsString();
      results.put(name.substring(name.lastIndexOf('.') + 1), run);
    }
    return results;
  }

  private static JsonObject run(Map<String, JsonObject> results, String benchmark) {
    JsonObject run = results.get(benchmark);
    if (run == null) {
      throw new IllegalStateException("no JMH result for " + benchmark + " (did a benchmark fail? see jmh.log)");
    }
    return run;
  }

  private JsonObject run(String benchmark) {
    JsonObject run = jmh.get(benchmark);
    if (run == null) {
      throw new IllegalStateException("jmh.json has no result for " + benchmark
          + " (did a benchmark fail? see jmh.log)");
    }
    return run;
  }

  private double avg(String benchmark) {
    return avg(run(benchmark));
  }

  private static double avg(JsonObject run) {
    return run.getAsJsonObject("primaryMetric").get("score").getAsDouble();
  }

  private String avgWithError(String benchmark) {
    JsonObject metric = run(benchmark).getAsJsonObject("primaryMetric");
    double score = metric.get("score").getAsDouble();
    double error = metric.get("scoreError").getAsDouble();
    String format = score < 10 ? "%.2f +- %.2f" : "%.0f +- %.0f";
    return String.format(Locale.ROOT, format, score, Double.isNaN(error) ? 0 : error);
  }

  private static double p99(JsonObject run) {
    return run.getAsJsonObject("primaryMetric").getAsJsonObject("scorePercentiles")
        .get("99.0").getAsDouble();
  }

  private static double alloc(String benchmark, JsonObject run) {
    JsonObject secondary = run.getAsJsonObject("secondaryMetrics");
    if (!secondary.has("gc.alloc.rate.norm")) {
      throw new IllegalStateException(benchmark + " has no gc.alloc.rate.norm: run JMH with -prof gc");
    }
    return secondary.getAsJsonObject("gc.alloc.rate.norm").get("score").getAsDouble();
  }

  private static double field(JsonObject run, String name) {
    return run.get(name).getAsDouble();
  }

  private static double median(List<JsonObject> runs, String name) {
    List<Double> values = new ArrayList<>();
    for (JsonObject run : runs) {
      values.add(field(run, name));
    }
    return median(values);
  }

  /** The median; of an even count, the mean of the middle two. */
  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The run that added the most platform threads. */
  private static JsonObject most(List<JsonObject> runs) {
    return Collections.max(runs, Comparator.comparingInt(run -> run.get("threadsAdded").getAsInt()));
  }

  /** "OkHttp Dispatcher x24, Okio Watchdog" from a run's addedThreadsAtPeak. */
  private static String names(JsonObject run) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, JsonElement> name : run.getAsJsonObject("addedThreadsAtPeak").entrySet()) {
      int count = name.getValue().getAsInt();
      names.add(count == 1 ? name.getKey() : name.getKey() + " x" + count);
    }
    return String.join(", ", names);
  }

  private static String x(double ratio) {
    return String.format(Locale.ROOT, "%.2fx", ratio);
  }

  private static String met(boolean met) {
    return met ? "met" : "**missed**";
  }

  private JsonObject json(String file) throws IOException {
    return JsonParser.parseString(read(file)).getAsJsonObject();
  }

  private String read(String file) throws IOException {
    Path path = dir.resolve(file);
    if (!Files.exists(path)) {
      throw new IllegalStateException(path + " is missing: run bench/run.sh (make bench) to make it");
    }
    return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
