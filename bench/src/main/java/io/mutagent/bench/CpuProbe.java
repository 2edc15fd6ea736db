package io.mutagent.bench;

import io.mutagent.Mutagent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The CPU time one blocking getPrompt costs the calling thread, SDK against raw OkHttp + Gson, in
 * alternating rounds of 20,000 calls each (two warmup rounds not printed). On a shared machine
 * wall time moves with other processes; the calling thread's CPU time moves less, so this shows the
 * SDK's own per-call work when the JMH latency ratio is in doubt. Not part of {@code make bench}:
 * run it by hand with the bench classpath (see docs/benchmarks.md).
 */
public final class CpuProbe {
  private static final int CALLS = 20_000;

  private CpuProbe() {}

  public static void main(String[] args) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (ServerProcess server = ServerProcess.start();
        Mutagent ours = Ours.client(server.url)) {
      RawClient raw = new RawClient(server.url, Ours.API_KEY);
      for (int round = 0; round < 6; round++) {
        for (int turn = 0; turn < 2; turn++) {
          boolean sdk = (round + turn) % 2 == 0; // each round's first client alternates
          long cpu = threads.getCurrentThreadCpuTime();
          long wall = System.nanoTime();
          for (int i = 0; i < CALLS; i++) {
            Object prompt = sdk ? ours.prompt().getPrompt(SpecExamples.PROMPT_ID) : raw.getPrompt(SpecExamples.PROMPT_ID);
            if (prompt == null) {
              throw new IllegalStateException("no prompt");
            }
          }
          cpu = threads.getCurrentThreadCpuTime() - cpu;
          wall = System.nanoTime() - wall;
          if (round >= 2) {
            System.out.printf(Locale.ROOT, "round %d %s: wall %.1f us, calling thread's CPU %.1f us per call%n",
                round - 1, sdk ? "ours" : "raw ", wall / 1e3 / CALLS, cpu / 1e3 / CALLS);
          }
        }
      }
      raw.close();
    }
  }
}
