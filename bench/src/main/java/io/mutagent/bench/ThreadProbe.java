package io.mutagent.bench;

import com.google.gson.GsonBuilder;
import io.mutagent.Mutagent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Thread facts of the SDK's client lifecycle, in a fresh JVM (run it once per JDK):
 * <ul>
 *   <li>the platform threads that {@value #COPIES} derived clients ({@link Ours#derive}) add when
 *       each makes one blocking and one async call, after the parent made the same calls and
 *       {@value #BURST} async calls at once (target 0: a copy shares its parent's threads);
 *   <li>the SDK's threads (named {@code mutagent*}) still alive after {@code close()}, waiting up
 *       to {@value #CLOSE_GRACE_MILLIS} ms for them to end (target 0), and every thread added since
 *       before the client was built, by name (the JDK's virtual-thread scheduler and OkHttp's
 *       JVM-wide Okio Watchdog stay there; they are not the SDK's).
 * </ul>
 *
 * <p>Usage: {@code ThreadProbe out.json}
 */
public final class ThreadProbe {
  static final int COPIES = 10;
  /** Async calls the parent makes at once before the copies (the SDK's dispatcher runs 64). */
  static final int BURST = 64;
  static final long CLOSE_GRACE_MILLIS = 2_000;

  private ThreadProbe() {}

  /** Runs the probe and writes the JSON result. */
  public static void main(String[] args) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("javaVersion", System.getProperty("java.version"));
    out.put("javaMajor", Runtime.version().feature());
    try (ServerProcess server = ServerProcess.start()) {
      Thread.sleep(200);
      Set<String> baseline = AsyncRun.threadNames();

      Mutagent parent = Ours.client(server.url);
      parent.prompt().getPrompt(SpecExamples.PROMPT_ID);
      parent.async().prompt().getPrompt(SpecExamples.PROMPT_ID).join();
      // The JDK starts its virtual-thread helpers (a second carrier, the poller, the delay
      // scheduler) lazily, when the load first needs them; one async call may not, and a copy's
      // call would then start them. Calls in flight at once bring them up before the count.
      List<CompletableFuture<?>> burst = new ArrayList<>();
      for (int i = 0; i < BURST; i++) {
        burst.add(parent.async().prompt().getPrompt(SpecExamples.PROMPT_ID));
      }
      CompletableFuture.allOf(burst.toArray(new CompletableFuture<?>[0])).join();
      Set<String> beforeCopies = AsyncRun.threadNames();

      for (int i = 0; i < COPIES; i++) {
        Mutagent copy = Ours.derive(parent);
        copy.prompt().getPrompt(SpecExamples.PROMPT_ID);
        copy.async().prompt().getPrompt(SpecExamples.PROMPT_ID).join();
      }
      Set<String> afterCopies = AsyncRun.threadNames();
      afterCopies.removeAll(beforeCopies);
      out.put("copies", COPIES);
      out.put("copyNewThreads", afterCopies.size());
      out.put("copyNewThreadNames", afterCopies);

      parent.close();
      long deadline = System.nanoTime() + CLOSE_GRACE_MILLIS * 1_000_000;
      Set<String> sdkAlive;
      do {
        Thread.sleep(50);
        sdkAlive = AsyncRun.threadNames();
        sdkAlive.removeIf(name -> !name.startsWith("mutagent"));
      } while (!sdkAlive.isEmpty() && System.nanoTime() < deadline);
      Set<String> added = AsyncRun.threadNames();
      added.removeAll(baseline);
      out.put("sdkThreadsAfterClose", sdkAlive.size());
      out.put("sdkThreadNamesAfterClose", sdkAlive);
      out.put("threadsAddedAfterClose", added.size());
      out.put("threadNamesAddedAfterClose", added);
    }
    Files.write(Paths.get(args[0]), new GsonBuilder().setPrettyPrinting().create().toJson(out)
        .getBytes(StandardCharsets.UTF_8));
    System.out.printf("threads Java %d: %s new after %d copies, %s SDK threads alive after close()%n",
        Runtime.version().feature(), out.get("copyNewThreads"), COPIES, out.get("sdkThreadsAfterClose"));
    System.exit(0);
  }
}
