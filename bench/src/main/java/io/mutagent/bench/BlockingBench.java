package io.mutagent.bench;

import io.mutagent.Mutagent;
import io.mutagent.models.Prompt;
import java.io.IOException;
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

/**
 * One blocking call, request to parsed object, against the loopback server: the SDK, raw OkHttp +
 * Gson, and the stock generator's client, for getPrompt and listPrompts (50 items). SampleTime
 * gives the average and the percentiles in one run; run with {@code -prof gc} for the bytes
 * allocated per call. Settings are small (1 fork, 5 x 2 s warmup, 10 x 2 s measurement: about
 * 33 s a method) to keep `make bench` within its 15 minutes on 2 cores; the figures that matter
 * are the ratios between methods of the same run.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class BlockingBench {
  private ServerProcess server;
  private Mutagent ours;
  private RawClient raw;
  private StockClient stock;

  /** Starts the server and the three clients, and checks that each one parses both bodies. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = ServerProcess.start();
    ours = Ours.client(server.url);
    raw = new RawClient(server.url, Ours.API_KEY);
    stock = new StockClient(server.url, Ours.API_KEY);
    check("ours", ours.prompt().getPrompt(SpecExamples.PROMPT_ID).name(),
        ours.prompt().listPrompts(Ours.LIST_50).data().size());
    check("raw", raw.getPrompt(SpecExamples.PROMPT_ID).name, raw.listPrompts(SpecExamples.LIST_ITEMS).data.size());
    check("stock", stock.getPrompt(SpecExamples.PROMPT_ID).getName(),
        stock.listPrompts(SpecExamples.LIST_ITEMS).getData().size());
  }

  private static void check(String client, String name, int items) {
    if (!"Support reply".equals(name) || items != SpecExamples.LIST_ITEMS) {
      throw new IllegalStateException(client + " parsed name=" + name + ", items=" + items
          + "; expected the spec example (Support reply) and " + SpecExamples.LIST_ITEMS + " items");
    }
  }

  /** Closes the clients and stops the server. */
  @TearDown(Level.Trial)
  public void tearDown() {
    ours.close();
    raw.close();
    server.close();
  }

  /** The SDK: {@code client.prompt().getPrompt(id)}. */
  @Benchmark
  public Object getPrompt_ours() {
    return ours.prompt().getPrompt(SpecExamples.PROMPT_ID);
  }

  /** Raw OkHttp + Gson. */
  @Benchmark
  public Object getPrompt_raw() throws IOException {
    return raw.getPrompt(SpecExamples.PROMPT_ID);
  }

  /** The stock generator's retrofit2 client. */
  @Benchmark
  public Object getPrompt_stock() throws IOException {
    return stock.getPrompt(SpecExamples.PROMPT_ID);
  }

  /** The SDK: {@code client.prompt().listPrompts(limit 50)}. */
  @Benchmark
  public Object listPrompts_ours() {
    return ours.prompt().listPrompts(Ours.LIST_50);
  }

  /**
   * The SDK, then every item's two date-times read ({@code createdAt()}, {@code updatedAt()}): the
   * SDK parses a date-time when its getter is called, so this is listPrompts_ours plus those 100
   * parses, which the stock client does while reading the body and the raw client never does.
   */
  @Benchmark
  public long listPromptsReadingDates_ours() {
    long seconds = 0;
    for (Prompt prompt : ours.prompt().listPrompts(Ours.LIST_50).data()) {
      seconds += prompt.createdAt().toEpochSecond() + prompt.updatedAt().toEpochSecond();
    }
    return seconds;
  }

  /** Raw OkHttp + Gson. */
  @Benchmark
  public Object listPrompts_raw() throws IOException {
    return raw.listPrompts(SpecExamples.LIST_ITEMS);
  }

  /** The stock generator's retrofit2 client. */
  @Benchmark
  public Object listPrompts_stock() throws IOException {
    return stock.listPrompts(SpecExamples.LIST_ITEMS);
  }
}
