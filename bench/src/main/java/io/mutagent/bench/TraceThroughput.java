package io.mutagent.bench;

import com.google.gson.GsonBuilder;
import io.mutagent.Mutagent;
import io.mutagent.models.IngestTracesRequest;
import io.mutagent.models.TraceInput;
import io.mutagent.tracing.FlushResult;
import io.mutagent.tracing.TraceBatcher;
import io.mutagent.tracing.TraceBatcherCounts;
import io.mutagent.tracing.TraceBatcherOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Traces per second through a {@link TraceBatcher} against one blocking {@code ingestTraces} call
 * per trace, both with the SDK against the loopback server (in a JVM of its own), with the spec's
 * example trace. The batcher: one thread adds {@value #BATCHED} traces as fast as it can, then
 * waits for {@code flush()}; the time runs from the first add to the flush's completion, so every
 * trace counted was acknowledged by the server. Its queue is made large enough to hold them all
 * (the default 10,000 would drop the rest: the producer is faster than any server), its other
 * options are the defaults (batches of 100, 2 in flight). One call per trace: one thread makes
 * {@value #SINGLE} blocking calls of one trace each. {@value #WARMUP} warm-up rounds, then
 * {@value #ROUNDS} measured rounds of both, taking turns; the client JVM's CPU time per trace too.
 *
 * <p>Usage: {@code TraceThroughput out.json}
 */
public final class TraceThroughput {
  static final int BATCHED = 50_000;
  static final int SINGLE = 2_000;
  static final int WARMUP = 2;
  static final int ROUNDS = 3;

  private TraceThroughput() {}

  /** Runs the rounds and writes the JSON result. */
  public static void main(String[] args) throws Exception {
    TraceInput trace = SpecExamples.exampleTrace(SpecExamples.specPath());
    List<Map<String, Object>> rounds = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start(); Mutagent client = Ours.client(server.url)) {
      for (int round = 0; round < WARMUP + ROUNDS; round++) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("loadAverage", new String(Files.readAllBytes(Paths.get("/proc/loadavg")),
            StandardCharsets.US_ASCII).trim());
        batched(client, trace, result);
        single(client, trace, result);
        System.out.printf("%s round %d: batcher %.0f traces/s (%d batches), one call a trace %.0f traces/s; "
            + "client CPU per trace %.1f us and %.1f us; load %s%n", round < WARMUP ? "warm-up" : "measured",
            round + 1, result.get("batcherTracesPerSecond"), result.get("batches"),
            result.get("singleTracesPerSecond"), result.get("batcherCpuMicrosPerTrace"),
            result.get("singleCpuMicrosPerTrace"), result.get("loadAverage"));
        if (round >= WARMUP) {
          rounds.add(result);
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("batched", BATCHED);
    out.put("single", SINGLE);
    out.put("rounds", rounds);
    Files.write(Paths.get(args[0]), new GsonBuilder().setPrettyPrinting().create().toJson(out)
        .getBytes(StandardCharsets.UTF_8));
  }

  private static void batched(Mutagent client, TraceInput trace, Map<String, Object> result) throws Exception {
    TraceBatcher batcher = client.traceBatcher(TraceBatcherOptions.builder().maxQueueSize(BATCHED)
        .maxQueueBytes(1024L * 1024 * 1024).build());
    long cpu = AsyncRun.processCpuNanos();
    long start = System.nanoTime();
    for (int i = 0; i < BATCHED; i++) {
      if (!batcher.add(trace)) {
        throw new IllegalStateException("the batcher dropped a trace: " + batcher.counts());
      }
    }
    FlushResult flushed = batcher.flush().get(120, TimeUnit.SECONDS);
    long nanos = System.nanoTime() - start;
    long cpuUsed = AsyncRun.processCpuNanos() - cpu;
    TraceBatcherCounts counts = batcher.counts();
    batcher.close();
    // The flush counts the traces that ended after it was called; the counts, all of them.
    if (!flushed.isComplete() || counts.sent() != BATCHED) {
      throw new IllegalStateException("not every trace was acknowledged: " + flushed + ", " + counts);
    }
    result.put("batcherTracesPerSecond", BATCHED * 1e9 / nanos);
    result.put("batches", counts.batches());
    result.put("batcherCpuMicrosPerTrace", cpuUsed / 1e3 / BATCHED);
  }

  private static void single(Mutagent client, TraceInput trace, Map<String, Object> result) {
    IngestTracesRequest one = IngestTracesRequest.builder().traces(List.of(trace)).build();
    long cpu = AsyncRun.processCpuNanos();
    long start = System.nanoTime();
    for (int i = 0; i < SINGLE; i++) {
      if (client.traces().ingestTraces(one).acceptedCount() != 1) {
        throw new IllegalStateException("the server did not accept the trace");
      }
    }
    long nanos = System.nanoTime() - start;
    long cpuUsed = AsyncRun.processCpuNanos() - cpu;
    result.put("singleTracesPerSecond", SINGLE * 1e9 / nanos);
    result.put("singleCpuMicrosPerTrace", cpuUsed / 1e3 / SINGLE);
  }
}
