package io.mutagent.bench;

import com.google.gson.GsonBuilder;
import io.mutagent.AsyncMutagent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/**
 * The async figure: {@value #CALLS} getPrompt calls with {@value #IN_FLIGHT} in flight, through
 * the SDK's {@code AsyncMutagent} or raw OkHttp {@code enqueue}, in a fresh JVM per client (run it
 * once per JDK). Reports the wall time and the client JVM's CPU time of each measured round, and
 * the platform threads the client added: the JVM's peak live thread count during the rounds minus
 * the count before the client was built (virtual threads are not platform threads and are not
 * counted), with the names of the threads alive when that peak was reached, so that every added
 * thread can be told apart by owner (JDK, OkHttp, SDK).
 *
 * <p>Usage: {@code AsyncRun ours|raw out.json}
 */
public final class AsyncRun {
  static final int CALLS = 10_000;
  static final int IN_FLIGHT = 256;
  static final int WARMUP_ROUNDS = 3;
  static final int MEASURED_ROUNDS = 5;

  private AsyncRun() {}

  /** A client under test: starts one call and reports its end to {@code done}. */
  interface Client extends AutoCloseable {
    void start(Done done);

    @Override
    void close();
  }

  /** Runs the measurement and writes the JSON result. */
  public static void main(String[] args) throws Exception {
    String variant = args[0];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (ServerProcess server = ServerProcess.start()) {
      // The server process is started first: starting it adds this JVM's process reaper thread.
      Thread.sleep(200);
      PeakWatch peakWatch = new PeakWatch(threads);
      peakWatch.start(); // before the baseline, so that it is not counted as added
      Set<String> before = threadNames();
      List<String> beforeAll = threadNameList();
      int baseline = threads.getThreadCount();
      threads.resetPeakThreadCount();
      peakWatch.armed = true;

      List<Long> rounds = new ArrayList<>();
      List<Long> cpu = new ArrayList<>();
      int failures = 0;
      try (Client client = "ours".equals(variant) ? ours(server.url) : raw(server.url)) {
        for (int i = 0; i < WARMUP_ROUNDS + MEASURED_ROUNDS; i++) {
          long cpuBefore = processCpuNanos();
          long[] result = round(client);
          long cpuUsed = processCpuNanos() - cpuBefore;
          failures += (int) result[1];
          if (i >= WARMUP_ROUNDS) {
            rounds.add(result[0]);
            cpu.add(cpuUsed);
          }
        }
        peakWatch.interrupt();
        peakWatch.join();
        int peak = threads.getPeakThreadCount();
        Set<String> added = threadNames();
        added.removeAll(before);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("variant", variant);
        out.put("javaVersion", System.getProperty("java.version"));
        out.put("javaMajor", Runtime.version().feature());
        out.put("calls", CALLS);
        out.put("inFlight", IN_FLIGHT);
        out.put("roundNanos", rounds);
        long[] sorted = rounds.stream().mapToLong(Long::longValue).sorted().toArray();
        out.put("medianNanos", sorted[sorted.length / 2]);
        out.put("cpuNanos", cpu);
        out.put("medianCpuNanos", cpu.stream().mapToLong(Long::longValue).sorted().toArray()[cpu.size() / 2]);
        out.put("failures", failures);
        out.put("baselineThreads", baseline);
        out.put("peakThreads", peak);
        out.put("threadsAdded", peak - baseline);
        out.put("addedThreadNamesAtEnd", collapse(added));
        out.put("addedThreadsAtPeak", minus(peakWatch.atPeak, beforeAll));
        out.put("addedThreadsAtEnd", minus(threadNameList(), beforeAll));
        Files.write(Paths.get(args[1]), new GsonBuilder().setPrettyPrinting().create().toJson(out)
            .getBytes(StandardCharsets.UTF_8));
        System.out.printf("async %-4s Java %-3d median %6.0f ms (client CPU %6.0f ms) per %d calls, %d threads"
            + " added %s, %d failures%n",
            variant, Runtime.version().feature(), sorted[sorted.length / 2] / 1e6,
            (Long) out.get("medianCpuNanos") / 1e6, CALLS, peak - baseline, out.get("addedThreadsAtPeak"), failures);
      }
    }
    System.exit(0);
  }

  /** The end of one call: null when it returned the parsed prompt. */
  interface Done {
    void done(Throwable failure);
  }

  /** One round: returns {wall nanos, failed calls}. */
  private static long[] round(Client client) throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    CountDownLatch finished = new CountDownLatch(CALLS);
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    Done done = failure -> {
      if (failure != null) {
        failures.incrementAndGet();
        firstFailure.compareAndSet(null, failure);
      }
      slots.release();
      finished.countDown();
    };
    long start = System.nanoTime();
    for (int i = 0; i < CALLS; i++) {
      slots.acquire();
      client.start(done);
    }
    finished.await();
    long wall = System.nanoTime() - start;
    if (firstFailure.get() != null) {
      firstFailure.get().printStackTrace();
    }
    return new long[] {wall, failures.get()};
  }

  private static Client ours(String url) {
    AsyncMutagent client = Ours.asyncClient(url);
    return new Client() {
      @Override
      public void start(Done done) {
        client.prompt().getPrompt(SpecExamples.PROMPT_ID).whenComplete((prompt, error) -> done.done(error));
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }

  private static Client raw(String url) {
    RawClient client = new RawClient(url, Ours.API_KEY);
    return new Client() {
      @Override
      public void start(Done done) {
        client.getPromptCall(SpecExamples.PROMPT_ID).enqueue(new Callback() {
          @Override
          public void onResponse(Call call, Response response) {
            Throwable failure = null;
            try (response) {
              RawClient.parse(response, RawClient.Prompt.class);
            } catch (IOException | RuntimeException e) {
              failure = e;
            }
            done.done(failure);
          }

          @Override
          public void onFailure(Call call, IOException e) {
            done.done(e);
          }
        });
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }

  /** The CPU time of this whole JVM so far (all its threads, JIT and GC included). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * Notes the names of the live platform threads each time the JVM's peak thread count grows:
   * polls the peak every 5 ms (a cheap read) and lists the threads only when it moved.
   */
  static final class PeakWatch extends Thread {
    private final ThreadMXBean threads;
    volatile List<String> atPeak = new ArrayList<>();
    /** Set once the baseline is taken and the peak reset: from then on, peaks are noted. */
    volatile boolean armed;

    PeakWatch(ThreadMXBean threads) {
      super("bench-peak-watch");
      setDaemon(true);
      this.threads = threads;
    }

    @Override
    public void run() {
      int seen = -1;
      while (!isInterrupted()) {
        int peak = threads.getPeakThreadCount();
        if (armed && peak > seen) {
          seen = peak;
          atPeak = threadNameList();
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** The names of the live platform threads, one entry per thread. */
  static List<String> threadNameList() {
    List<String> names = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      names.add(thread.getName());
    }
    return names;
  }

  /** The threads of {@code now} not in {@code before} (as a multiset of names), collapsed. */
  static Map<String, Integer> minus(List<String> now, List<String> before) {
    List<String> added = new ArrayList<>(now);
    for (String name : before) {
      added.remove(name);
    }
    Map<String, Integer> counts = new TreeMap<>();
    for (String name : added) {
      counts.merge(collapsed(name), 1, Integer::sum);
    }
    return counts;
  }

  /** A thread's name without its number; OkHttp names a thread after the call it runs. */
  static String collapsed(String name) {
    return name.startsWith("OkHttp http") ? "OkHttp (running a call)" : name.replaceAll("-?\\d+$", "-N");
  }

  static Set<String> threadNames() {
    Set<String> names = new TreeSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      names.add(thread.getName());
    }
    return names;
  }

  /** "OkHttp Dispatcher-1..70" style summary: names with their trailing digits collapsed. */
  static Map<String, Integer> collapse(Set<String> names) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String name : names) {
      counts.merge(name.replaceAll("\\d+$", "N"), 1, Integer::sum);
    }
    return counts;
  }
}
