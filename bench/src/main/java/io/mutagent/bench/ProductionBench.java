package io.mutagent.bench;

import io.mutagent.Mutagent;
import io.mutagent.models.TraceInput;
import io.mutagent.prompts.CachedPrompt;
import io.mutagent.prompts.PromptCache;
import io.mutagent.tracing.TraceBatcher;
import io.mutagent.tracing.TraceBatcherCounts;
import io.mutagent.tracing.TraceBatcherOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The in-production helpers of issue 24, on the caller's thread (run with {@code -prof gc}):
 * a {@link PromptCache} hit, with and without a fallback, and {@link TraceBatcher#add} of the
 * spec's ingestTraces example trace, as read from the spec's JSON and as built with the builders.
 *
 * <p>The batcher sends for real, to the loopback server, on its own thread, while the benchmark
 * adds: that is the cost an application pays, and on 2 cores the sender and OkHttp take CPU from
 * the adding thread. {@link #traceBatcherAddBuiltServerSilent} adds while the server never
 * answers, so the sender waits and the caller's own cost shows; the teardown also writes the
 * caller thread's CPU time and bytes allocated per add, which the machine's load does not move. Each iteration gets a fresh batcher whose queue
 * (1,000,000 traces) holds what one iteration of 200 ms can add, so every add measured takes the
 * accepting path; the iteration's teardown prints its counts and fails the run if one was
 * dropped. The sender shares the 2 cores with the benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ProductionBench {
  /** The SDK's logger: its batcher warns when an iteration's close leaves traces unsent. */
  private static final java.util.logging.Logger SDK_LOGGER = java.util.logging.Logger.getLogger("io.mutagent");
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private ServerProcess server;
  private Mutagent client;
  private PromptCache prompts;
  private TraceInput exampleTrace;
  private TraceInput builtTrace;
  private TraceBatcher batcher;
  private long callerAllocatedBefore;
  private long callerCpuBefore;
  /** A server that accepts connections and never answers: batches hang in flight, the sender waits. */
  private ServerSocket silent;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private Mutagent silentClient;

  /** Starts the server and the client; fills the cache with the spec's prompt. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    SDK_LOGGER.setLevel(java.util.logging.Level.SEVERE);
    server = ServerProcess.start();
    client = Ours.client(server.url);
    prompts = client.promptCache();
    if (!prompts.prefetch(List.of(SpecExamples.PROMPT_ID)).isEmpty()) {
      throw new IllegalStateException("the prefetch of " + SpecExamples.PROMPT_ID + " failed");
    }
    CachedPrompt cached = prompts.get(SpecExamples.PROMPT_ID);
    if (!"Support reply".equals(cached.prompt().name()) || cached.isStale() || cached.isFallback()) {
      throw new IllegalStateException("the cache did not hold the spec's prompt: " + cached);
    }
    exampleTrace = SpecExamples.exampleTrace(SpecExamples.specPath());
    builtTrace = SpecExamples.built(exampleTrace);
    silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          held.add(silent.accept());
        }
      } catch (IOException closed) {
        // the trial ended
      }
    }, "bench-silent-server");
    acceptor.setDaemon(true);
    acceptor.start();
    silentClient = Ours.client("http://127.0.0.1:" + silent.getLocalPort());
  }

  /** A fresh batcher for each iteration, so that its queue never fills. */
  @Setup(Level.Iteration)
  public void newBatcher(BenchmarkParams benchmark) {
    Mutagent target = benchmark.getBenchmark().endsWith("ServerSilent") ? silentClient : client;
    batcher = target.traceBatcher(TraceBatcherOptions.builder().maxQueueSize(1_000_000)
        .maxQueueBytes(1024L * 1024 * 1024).build());
    callerAllocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
    callerCpuBefore = THREADS.getCurrentThreadCpuTime();
  }

  /**
   * Stops the iteration's batcher at once (what it still holds is not sent) and checks it dropped
   * nothing. For the add benchmarks, writes the bytes the benchmark thread itself allocated per
   * add: JMH's gc.alloc.rate.norm counts every thread's, the sender's and OkHttp's included.
   */
  @TearDown(Level.Iteration)
  public void closeBatcher(BenchmarkParams benchmark, IterationParams iteration) throws IOException {
    long callerBytes = THREADS.getCurrentThreadAllocatedBytes() - callerAllocatedBefore;
    long callerCpu = THREADS.getCurrentThreadCpuTime() - callerCpuBefore;
    batcher.close(Duration.ZERO);
    TraceBatcherCounts counts = batcher.counts();
    if (counts.dropped() > 0) {
      throw new IllegalStateException("the batcher dropped traces: the iteration measured drops, not adds");
    }
    if (counts.added() > 0 && iteration.getType() == IterationType.MEASUREMENT) {
      String name = benchmark.getBenchmark().substring(benchmark.getBenchmark().lastIndexOf('.') + 1);
      String line = String.format(Locale.ROOT, "{\"benchmark\":\"%s\",\"adds\":%d,\"callerBytesPerAdd\":%.2f,"
          + "\"callerCpuNanosPerAdd\":%.1f}%n", name, counts.added(), (double) callerBytes / counts.added(),
          (double) callerCpu / counts.added());
      Path out = Paths.get(System.getProperty("bench.results", "bench/target/results"), "production-caller-alloc.jsonl");
      Files.write(out, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      System.out.print("  " + line);
    }
  }

  /** Closes the client and stops the server. */
  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println("  cache: " + prompts.stats());
    client.close();
    silentClient.close();
    server.close();
    try {
      silent.close();
      for (Socket socket : held) {
        socket.close();
      }
    } catch (IOException e) {
      // nothing to keep
    }
  }

  /** {@code cache.get(id)}, a fresh hit. */
  @Benchmark
  public CachedPrompt promptCacheHit() {
    return prompts.get(SpecExamples.PROMPT_ID);
  }

  /** {@code cache.get(id, fallbackContent)}, a fresh hit: the form the README shows. */
  @Benchmark
  public CachedPrompt promptCacheHitWithFallback() {
    return prompts.get(SpecExamples.PROMPT_ID, "You are a support agent. Answer: {{question}}");
  }

  /** {@code batcher.add(trace)} of the spec's example trace, as read from its JSON (date-times kept as text). */
  @Benchmark
  public boolean traceBatcherAdd() {
    return batcher.add(exampleTrace);
  }

  /** {@code batcher.add(trace)} of the same trace made with the builders ({@code OffsetDateTime} values). */
  @Benchmark
  public boolean traceBatcherAddBuilt() {
    return batcher.add(builtTrace);
  }

  /**
   * The same add while the server takes the batches and never answers: the two batches in flight
   * hang, the sender waits, and nothing of the SDK runs beside the caller. The caller's own cost.
   */
  @Benchmark
  public boolean traceBatcherAddBuiltServerSilent() {
    return batcher.add(builtTrace);
  }
}
