package io.mutagent.bench;

import io.mutagent.Mutagent;
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
 * What making a client costs (warm, in a JVM that has made many): building an SDK client, the
 * stock generator's ApiClient and service, and a raw OkHttpClient; and deriving an SDK client from
 * another ({@link Ours#derive}). No request is sent, so no server is needed. Each built SDK client
 * is closed after its invocation, outside the timed part.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class LifecycleBench {
  private static final String URL = "http://127.0.0.1:9";

  private Mutagent parent;
  private Mutagent built;

  /** Makes the client that {@link #copy_ours} derives from. */
  @Setup(Level.Trial)
  public void setUp() {
    parent = Ours.client(URL);
  }

  /** Closes what the last invocation built. */
  @TearDown(Level.Invocation)
  public void closeBuilt() {
    if (built != null) {
      built.close();
      built = null;
    }
  }

  /** Closes the parent. */
  @TearDown(Level.Trial)
  public void tearDown() {
    parent.close();
  }

  /** {@code Mutagent.builder().apiKey(...).serverUrl(...).build()}. */
  @Benchmark
  public Object build_ours() {
    built = Ours.client(URL);
    return built;
  }

  /** The stock client: {@code new ApiClient("ApiKeyAuth", key)}, base URL, PromptApi service. */
  @Benchmark
  public Object build_stock() {
    return new StockClient(URL, Ours.API_KEY);
  }

  /** A raw OkHttpClient as {@link RawClient} makes it. */
  @Benchmark
  public Object build_raw() {
    return new RawClient(URL, Ours.API_KEY);
  }

  /** A client derived from an existing one ({@link Ours#derive}). */
  @Benchmark
  public Object copy_ours() {
    return Ours.derive(parent);
  }
}
