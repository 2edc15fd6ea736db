package io.mutagent.bench;

import com.google.gson.GsonBuilder;
import io.mutagent.Mutagent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The SDK against raw OkHttp + Gson in one JVM, the two clients taking turns: blocking getPrompt
 * and listPrompts (50 items), in rounds of {@value #GET_CALLS} and {@value #LIST_CALLS} calls per
 * client, each round's first client alternating, after two warmup rounds that are not kept. For
 * each round: the wall time per call and the calling thread's CPU time per call.
 *
 * <p>JMH (BlockingBench) runs each client in a JVM of its own; on a shared 2-core machine the JVMs
 * minutes apart see different loads, and a round's ratio moved by 10 to 20%. Here both clients
 * run in the same JVM against the same server process, seconds apart, so the ratio moves less;
 * and the calling thread's CPU time is the SDK's own work, whatever the machine's load. Writes
 * its JSON to the path given; {@code make bench} puts it in the table (Report).
 */
public final class CpuProbe {
  private static final int GET_CALLS = 20_000;
  private static final int LIST_CALLS = 8_000;
  private static final int WARMUP_ROUNDS = 2;
  private static final int ROUNDS = 4;

  private CpuProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    try (ServerProcess server = ServerProcess.start();
        Mutagent ours = Ours.client(server.url)) {
      RawClient raw = new RawClient(server.url, Ours.API_KEY);
      out.put("getPrompt", rounds("getPrompt", GET_CALLS,
          () -> ours.prompt().getPrompt(SpecExamples.PROMPT_ID),
          () -> raw.getPrompt(SpecExamples.PROMPT_ID)));
      out.put("listPrompts", rounds("listPrompts", LIST_CALLS,
          () -> ours.prompt().listPrompts(Ours.LIST_50),
          () -> raw.listPrompts(SpecExamples.LIST_ITEMS)));
      raw.close();
    }
    if (args.length > 0) {
      Files.write(Paths.get(args[0]), new GsonBuilder().setPrettyPrinting().create().toJson(out)
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Runs the rounds of one operation; returns the kept rounds, each {ours, raw} x {wall, cpu}. */
  private static List<Map<String, Double>> rounds(String operation, int calls, Callable<Object> ours,
      Callable<Object> raw) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Map<String, Double>> kept = new ArrayList<>();
    for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      Map<String, Double> figures = new LinkedHashMap<>();
      for (int turn = 0; turn < 2; turn++) {
        boolean sdk = (round + turn) % 2 == 0; // each round's first client alternates
        Callable<Object> client = sdk ? ours : raw;
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          if (client.call() == null) {
            throw new IllegalStateException("no answer");
          }
        }
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        wall = System.nanoTime() - wall;
        String who = sdk ? "ours" : "raw";
        figures.put(who + "WallMicros", wall / 1e3 / calls);
        figures.put(who + "CpuMicros", cpu / 1e3 / calls);
      }
      if (round >= WARMUP_ROUNDS) {
        kept.add(figures);
        System.out.printf(Locale.ROOT, "%s round %d: wall %.1f / %.1f us, calling thread's CPU %.1f / %.1f us per call (ours / raw)%n",
            operation, round - WARMUP_ROUNDS + 1, figures.get("oursWallMicros"), figures.get("rawWallMicros"),
            figures.get("oursCpuMicros"), figures.get("rawCpuMicros"));
      }
    }
    return kept;
  }
}
