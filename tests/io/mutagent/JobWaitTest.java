package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.NotFoundException;
import io.mutagent.internal.jobs.JobWaits;
import io.mutagent.jobs.JobCancelledException;
import io.mutagent.jobs.JobException;
import io.mutagent.jobs.JobFailedException;
import io.mutagent.jobs.JobListener;
import io.mutagent.jobs.JobListenerException;
import io.mutagent.jobs.JobPausedException;
import io.mutagent.jobs.JobSnapshot;
import io.mutagent.jobs.JobWaitTimeoutException;
import io.mutagent.jobs.ProgressLine;
import io.mutagent.jobs.ScorePoint;
import io.mutagent.jobs.WaitOptions;
import io.mutagent.models.CreateExperimentRequest;
import io.mutagent.models.EvaluationResult;
import io.mutagent.models.ExperimentResults;
import io.mutagent.models.OptimizationJob;
import io.mutagent.models.StartOptimizationRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Waiting on long-running jobs (issue 23), on both clients, against a scripted server and the
 * {@link FakeScheduler}'s clock (no test sleeps for real): how each kind of ending comes out, what
 * the listener hears, and how many requests a 30-minute optimization costs with the defaults.
 * {@link LifecycleTest} has the waits' close, interrupt and throwing-listener cases.
 */
class JobWaitTest {
  static final String KEY = "mt_job_wait_test_key";
  static final StartOptimizationRequest START = StartOptimizationRequest.builder().datasetId("ds_1").maxIterations(10).build();

  MockWebServer server;
  FakeScheduler clock;
  Mutagent blocking;
  AsyncMutagent async;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
    clock = new FakeScheduler();
    blocking = TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString()).scheduler(clock).build();
    async = TestClients.asyncMutagent().apiKey(KEY).serverUrl(server.url("/").toString()).scheduler(clock).build();
  }

  @AfterEach
  void stop() throws IOException {
    blocking.close();
    async.close();
    server.shutdown();
  }

  // ---------------------------------------------------------------------------------------------
  // A scripted server
  // ---------------------------------------------------------------------------------------------

  static String job(String status, int iteration, Double best) {
    return "{\"id\":\"opt_1\",\"promptId\":\"prm_1\",\"datasetId\":\"ds_1\",\"status\":\"" + status
        + "\",\"maxIterations\":10,\"currentIteration\":" + iteration + ",\"bestScore\":" + best
        + ",\"createdAt\":\"2026-11-02T10:00:00Z\",\"updatedAt\":\"2026-11-02T10:00:00Z\"}";
  }

  static String job(String status, int iteration) {
    return job(status, iteration, iteration == 0 ? null : 0.5 + iteration / 100.0);
  }

  static String progress(int iterations) {
    StringBuilder points = new StringBuilder();
    for (int i = 1; i <= iterations; i++) {
      points.append(i > 1 ? "," : "").append("{\"iteration\":").append(i).append(",\"score\":")
          .append(0.5 + i / 100.0).append(",\"recordedAt\":\"2026-11-02T10:03:00Z\"}");
    }
    return "{\"optimizationId\":\"opt_1\",\"status\":\"running\",\"bestScore\":null,\"points\":[" + points + "]}";
  }

  static String evaluation(String status) {
    return "{\"id\":\"eval_1\",\"name\":\"e\",\"promptId\":\"prm_1\",\"promptVersion\":3,\"datasetId\":\"ds_1\","
        + "\"metrics\":[\"llm_judge\"],\"status\":\"" + status + "\",\"createdAt\":\"2026-11-02T09:20:00Z\"}";
  }

  static String experiment(String status) {
    return "{\"id\":\"exp_1\",\"name\":\"x\",\"datasetId\":\"ds_1\",\"promptVersionIds\":[\"ver_1\",\"ver_2\"],"
        + "\"status\":\"" + status + "\",\"createdAt\":\"2026-11-03T11:00:00Z\"}";
  }

  static MockResponse ok(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  /**
   * Answers the start calls with a job in its first state, each status read with the next scripted
   * answer (the last one repeats), each progress read with the points up to the iteration last
   * served, and the result reads with a result; records every request.
   */
  static final class Script extends Dispatcher {
    final List<MockResponse> statuses = new ArrayList<>();
    final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    final String first;
    final AtomicInteger served = new AtomicInteger();
    volatile int iteration;
    volatile Function<Long, MockResponse> byClock;

    Script(String first, String... then) {
      this.first = first;
      for (String body : then) {
        statuses.add(ok(body));
      }
    }

    Script then(MockResponse response) {
      statuses.add(response);
      return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      requests.add(request);
      String path = request.getPath();
      if (request.getMethod().equals("POST")) {
        return ok(first);
      }
      if (path.endsWith("/progress")) {
        return ok(progress(iteration));
      }
      if (path.endsWith("/result")) {
        return ok("{\"evaluationId\":\"eval_1\",\"status\":\"completed\",\"summary\":{\"averageScore\":0.86,"
            + "\"passRate\":0.67,\"itemCount\":3},\"items\":[]}");
      }
      if (path.endsWith("/results")) {
        return ok("{\"experimentId\":\"exp_1\",\"status\":\"completed\",\"variants\":[],\"winnerPromptVersionId\":\"ver_2\"}");
      }
      MockResponse answer;
      if (byClock != null) {
        answer = byClock.apply(0L);
      } else {
        int n = served.getAndIncrement();
        answer = statuses.get(Math.min(n, statuses.size() - 1));
      }
      String body = answer.getBody() == null ? "" : answer.getBody().clone().readUtf8();
      int at = body.indexOf("\"currentIteration\":");
      if (at >= 0) {
        iteration = Integer.parseInt(body.substring(at + 19, body.indexOf(',', at)));
      }
      return answer;
    }

    long reads(String suffix) {
      synchronized (requests) {
        return requests.stream().filter(r -> r.getMethod().equals("GET") && r.getPath().endsWith(suffix)).count();
      }
    }
  }

  /** Records what a listener hears. */
  static final class Recorder implements JobListener {
    final List<String> statuses = Collections.synchronizedList(new ArrayList<>());
    final List<String> unknown = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> points = Collections.synchronizedList(new ArrayList<>());
    final List<JobSnapshot> updates = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onStatusChange(JobSnapshot job) {
      statuses.add(job.status() + (job.isPaused() ? " (paused)" : ""));
    }

    @Override
    public void onUnknownStatus(JobSnapshot job) {
      unknown.add(job.status());
    }

    @Override
    public void onScorePoint(JobSnapshot job, ScorePoint point) {
      points.add(point.iteration());
    }

    @Override
    public void onUpdate(JobSnapshot job) {
      updates.add(job);
    }
  }

  /** Starts an optimization and waits, on either client; the async failure comes out unwrapped. */
  OptimizationJob startAndWait(boolean onAsync, RequestOptions options, WaitOptions wait) {
    if (!onAsync) {
      return blocking.optimization().startOptimizationAndWait("prm_1", START, options, wait);
    }
    return join(async.optimization().startOptimizationAndWait("prm_1", START, options, wait));
  }

  OptimizationJob startAndWait(boolean onAsync, WaitOptions wait) {
    return startAndWait(onAsync, RequestOptions.none(), wait);
  }

  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw LifecycleTest.sneaky(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the wait did not end", e);
    }
  }

  static WaitOptions listening(JobListener listener) {
    return WaitOptions.builder().listener(listener).build();
  }

  // ---------------------------------------------------------------------------------------------
  // Endings
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void queuedThenRunningThenCompletedReturnsTheFinalJobAndTheListenerHearsEachPointOnce(boolean onAsync) {
    Script script = new Script(job("queued", 0), job("queued", 0), job("running", 0), job("running", 1),
        job("running", 1), job("running", 3), job("completed", 4));
    server.setDispatcher(script);
    Recorder recorder = new Recorder();
    OptimizationJob done = startAndWait(onAsync, RequestOptions.builder().header("X-Test", "wait").build(),
        listening(recorder));
    assertEquals("completed", done.status().value());
    assertEquals(4, done.currentIteration());
    assertEquals(List.of("queued", "running", "completed"), recorder.statuses, "each status change once");
    assertEquals(List.of(1, 2, 3, 4), recorder.points, "each score point once, in order");
    assertEquals(3, script.reads("/progress"), "progress read only when the iteration moved (0->1, 1->3, 3->4)");
    assertEquals(6, script.reads("/opt_1"), "status reads");
    assertEquals(7, recorder.updates.size(), "one update per read, the start call's answer included");
    assertEquals(0, recorder.updates.get(0).requests(), "the start call's answer is told first, and not counted");
    assertEquals("queued", recorder.updates.get(0).status());
    for (RecordedRequest request : script.requests) {
      assertEquals("wait", request.getHeader("X-Test"), "the caller's options go with every request of the wait: "
          + request.getPath());
    }
    assertEquals(List.of(Duration.ofMillis(1600), Duration.ofMillis(2400), Duration.ofMillis(3600)),
        clock.waits.subList(0, 3), "2 s growing by 1.5, each 20 % short at the smallest jitter");
  }

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void aFailedJobThrowsJobFailedExceptionWithItsIdStatusAndLastObject(boolean onAsync) {
    server.setDispatcher(new Script(job("queued", 0), job("running", 0), job("failed", 0)));
    JobFailedException e = assertThrows(JobFailedException.class, () -> startAndWait(onAsync, WaitOptions.defaults()));
    assertEquals("opt_1", e.jobId());
    assertEquals("failed", e.status());
    assertEquals("optimization", e.kind());
    assertEquals("failed", assertInstanceOf(OptimizationJob.class, e.job()).status().value());
    assertTrue(e.getMessage().contains("opt_1") && e.getMessage().contains("failed"), e.getMessage());
  }

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void aCancelledJobThrowsJobCancelledExceptionNotACancellationException(boolean onAsync) {
    server.setDispatcher(new Script(job("queued", 0), job("running", 2), job("cancelled", 2)));
    JobCancelledException e = assertThrows(JobCancelledException.class, () -> startAndWait(onAsync, WaitOptions.defaults()));
    assertFalse(CancellationException.class.isInstance(e));
    assertEquals("opt_1", e.jobId());
    assertEquals("cancelled", e.status());
    assertEquals(2, assertInstanceOf(OptimizationJob.class, e.job()).currentIteration());
  }

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void aPausedJobKeepsTheWaitGoingByDefaultAndTheListenerIsTold(boolean onAsync) {
    server.setDispatcher(new Script(job("queued", 0), job("paused", 0), job("paused", 0), job("running", 1),
        job("completed", 1)));
    Recorder recorder = new Recorder();
    OptimizationJob done = startAndWait(onAsync, listening(recorder));
    assertEquals("completed", done.status().value());
    assertEquals(List.of("queued", "paused (paused)", "running", "completed"), recorder.statuses);
  }

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void aPausedJobEndsTheWaitWhenSetToEndOnPause(boolean onAsync) {
    Script script = new Script(job("queued", 0), job("running", 0), job("paused", 0), job("running", 1));
    server.setDispatcher(script);
    JobPausedException e = assertThrows(JobPausedException.class,
        () -> startAndWait(onAsync, WaitOptions.builder().endOnPause(true).build()));
    assertEquals("paused", e.status());
    assertEquals(2, script.reads("/opt_1"), "no poll after the pause was seen");
  }

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void anUnknownStatusCountsAsRunningAndTheListenerIsTold(boolean onAsync) {
    server.setDispatcher(new Script(job("queued", 0), job("warming_up", 0), job("warming_up", 0), job("completed", 0)));
    Recorder recorder = new Recorder();
    assertEquals("completed", startAndWait(onAsync, listening(recorder)).status().value());
    assertEquals(List.of("warming_up"), recorder.unknown, "told once, when it changed to it");
    assertTrue(recorder.updates.stream().anyMatch(s -> s.status().equals("warming_up") && !s.isKnownStatus()
        && !s.isTerminal()));
  }

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void a429WithRetryAfterDuringTheWaitIsWaitedOutAndTheWaitGoesOn(boolean onAsync) {
    Script script = new Script(job("queued", 0), job("running", 0));
    script.then(RetryTest.status(429).setHeader("Retry-After", "7")).then(ok(job("completed", 0)));
    server.setDispatcher(script);
    assertEquals("completed", startAndWait(onAsync, WaitOptions.defaults()).status().value());
    assertTrue(clock.waits.contains(Duration.ofSeconds(7)), "the Retry-After was waited out: " + clock.waits);
    assertEquals(3, script.reads("/opt_1"), "the 429 and its retry");
  }

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void theTotalTimeoutEndsTheWaitSayingTheJobStillRuns(boolean onAsync) {
    server.setDispatcher(new Script(job("queued", 0), job("running", 0)));
    long started = clock.nanoTime();
    JobWaitTimeoutException e = assertThrows(JobWaitTimeoutException.class,
        () -> startAndWait(onAsync, WaitOptions.builder().totalTimeout(Duration.ofMinutes(10)).build()));
    assertFalse(CancellationException.class.isInstance(e));
    assertEquals("opt_1", e.jobId());
    assertEquals("running", e.status());
    assertEquals(Duration.ofMinutes(10), e.totalTimeout());
    assertTrue(e.getMessage().contains("still running on the server"), e.getMessage());
    assertEquals(Duration.ofMinutes(10), Duration.ofNanos(clock.nanoTime() - started),
        "the last pause was cut to the deadline, then one last look");
  }

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void aWaitResumesFromAStoredIdAndCatchesUpOnTheScorePoints(boolean onAsync) {
    Script script = new Script("unused", job("running", 4), job("completed", 5));
    server.setDispatcher(script);
    Recorder recorder = new Recorder();
    OptimizationJob done = onAsync ? join(async.optimization().waitForOptimization("opt_1", listening(recorder)))
        : blocking.optimization().waitForOptimization("opt_1", listening(recorder));
    assertEquals(5, done.currentIteration());
    assertEquals("GET", script.requests.get(0).getMethod(), "nothing is started");
    assertEquals("/api/optimization/opt_1", script.requests.get(0).getPath(), "the first poll is at once");
    assertEquals(List.of(1, 2, 3, 4, 5), recorder.points);
    assertEquals(List.of("running", "completed"), recorder.statuses);
  }

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void anEvaluationWaitReturnsItsResultAndAnExperimentWaitItsResults(boolean onAsync) {
    server.setDispatcher(new Script(evaluation("running"), evaluation("running"), evaluation("completed")));
    EvaluationResult result = onAsync
        ? join(async.promptEvaluations().runEvaluationAndWait("eval_1", WaitOptions.defaults()))
        : blocking.promptEvaluations().runEvaluationAndWait("eval_1", WaitOptions.defaults());
    assertEquals("eval_1", result.evaluationId());
    server.setDispatcher(new Script(experiment("pending"), experiment("running"), experiment("completed")));
    CreateExperimentRequest create = CreateExperimentRequest.builder().name("x").datasetId("ds_1")
        .promptVersionIds(List.of("ver_1", "ver_2")).build();
    ExperimentResults results = onAsync
        ? join(async.experiments().createExperimentAndWait(create, WaitOptions.defaults()))
        : blocking.experiments().createExperimentAndWait(create, WaitOptions.defaults());
    assertEquals(Optional.of("ver_2"), results.winnerPromptVersionId());
    server.setDispatcher(new Script("unused", evaluation("failed")));
    JobFailedException e = assertThrows(JobFailedException.class, () -> {
      if (onAsync) {
        join(async.promptEvaluations().waitForEvaluation("eval_1", WaitOptions.defaults()));
      } else {
        blocking.promptEvaluations().waitForEvaluation("eval_1", WaitOptions.defaults());
      }
    });
    assertEquals("evaluation", e.kind());
  }

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void a404ForTheJobEndsTheWaitWithNotFoundException(boolean onAsync) {
    Script script = new Script(job("queued", 0), job("running", 0));
    script.statuses.set(0, RetryTest.status(404));
    server.setDispatcher(script);
    assertThrows(NotFoundException.class, () -> startAndWait(onAsync, WaitOptions.defaults()));
    assertEquals(1, script.reads("/opt_1"), "not retried, no further poll");
  }

  @Test
  void cancellingAnAsyncWaitStopsPollingSendsNothingMoreAndLeavesTheJobAlone() throws Exception {
    Script script = new Script(job("queued", 0), job("running", 0));
    server.setDispatcher(script);
    clock.park = true;
    CompletableFuture<OptimizationJob> wait = async.optimization().startOptimizationAndWait("prm_1", START,
        WaitOptions.defaults());
    awaitParked(1); // the start answered; the first poll waits on the timer
    clock.runParked(); // first poll
    awaitParked(1); // the second poll waits on the timer
    int before = server.getRequestCount();
    assertTrue(wait.cancel(true));
    clock.runParked(); // the cancelled poll does not run
    assertTrue(wait.isCancelled());
    assertEquals(before, server.getRequestCount(), "no request after the cancel");
    assertEquals(0, script.requests.stream().filter(r -> r.getPath().endsWith("/cancel")).count(),
        "the job is not cancelled on the server");
  }

  void awaitParked(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (clock.parked.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5); // a condition on another thread, not a clock
    }
    assertEquals(count, clock.parked.size(), "a poll waits on the timer");
  }

  @ParameterizedTest(name = "async {0}")
  @ValueSource(booleans = {false, true})
  void aThrowingListenerEndsOnlyItsOwnWait(boolean onAsync) {
    for (Throwable thrown : List.of(new IllegalStateException("listener"), new AssertionError("listener"))) {
      server.setDispatcher(new Script(job("queued", 0), job("running", 1), job("completed", 1)));
      JobListener throwing = new JobListener() {
        @Override
        public void onScorePoint(JobSnapshot job, ScorePoint point) {
          throw LifecycleTest.sneaky(thrown);
        }
      };
      JobListenerException e = assertThrows(JobListenerException.class,
          () -> startAndWait(onAsync, listening(throwing)));
      assertSame(thrown, e.getCause());
      assertEquals("opt_1", e.jobId());
      assertTrue(e.getMessage().contains("onScorePoint") && e.getMessage().contains(thrown.getClass().getName()),
          e.getMessage());
      // The client is unharmed: the next wait on it completes.
      server.setDispatcher(new Script(job("queued", 0), job("completed", 1)));
      assertEquals("completed", startAndWait(onAsync, WaitOptions.defaults()).status().value());
    }
  }

  @Test
  void badWaitArgumentsAreRefusedBeforeAnythingIsSent() {
    server.setDispatcher(new Script(job("queued", 0), job("completed", 0)));
    assertThrows(IllegalArgumentException.class,
        () -> blocking.optimization().startOptimizationAndWait("prm_1", START, (WaitOptions) null));
    assertThrows(IllegalArgumentException.class,
        () -> blocking.optimization().waitForOptimization(" ", WaitOptions.defaults()));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> async.optimization().startOptimizationAndWait("prm_1", START, (WaitOptions) null).get(10, TimeUnit.SECONDS));
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    e = assertThrows(ExecutionException.class,
        () -> async.optimization().waitForOptimization("", WaitOptions.defaults()).get(10, TimeUnit.SECONDS));
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals(0, server.getRequestCount());
    assertThrows(IllegalArgumentException.class, () -> WaitOptions.builder().totalTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> WaitOptions.builder().firstInterval(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> WaitOptions.builder().growth(0.5));
    assertThrows(IllegalArgumentException.class, () -> WaitOptions.builder().jitter(1));
    IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
        () -> WaitOptions.builder().firstInterval(Duration.ofMinutes(2)).maxInterval(Duration.ofMinutes(1)).build());
    assertTrue(order.getMessage().contains("maxInterval"), order.getMessage());
  }

  @Test
  void everyPollIsBackgroundWorkWithTheCallersOptions() {
    RequestOptions caller = RequestOptions.builder().header("X-Test", "wait").timeout(Duration.ofSeconds(5)).build();
    RequestOptions poll = JobWaits.pollOptions(caller);
    assertNotNull(poll);
    assertTrue(poll.background());
    assertEquals(caller.headers(), poll.headers());
    assertEquals(caller.timeout(), poll.timeout());
  }

  @Test
  void theProgressLineShowsIterationOfMaxBestScoreStatusAndElapsed() {
    JobSnapshot running = JobSnapshot.of("optimization", "opt_8Nm3Qs6T", "running", true, false, false,
        OptionalInt.of(4), OptionalInt.of(10), OptionalDouble.of(0.91), Duration.ofSeconds(723), 12, "job");
    assertEquals("optimization opt_8Nm3Qs6T: iteration 4 of 10, best 0.910, running, 12m 03s", ProgressLine.format(running));
    JobSnapshot evaluation = JobSnapshot.of("evaluation", "eval_1", "completed", true, false, true,
        OptionalInt.empty(), OptionalInt.empty(), OptionalDouble.empty(), Duration.ofSeconds(3725), 3, "job");
    assertEquals("evaluation eval_1: completed, 1h 02m 05s", ProgressLine.format(evaluation));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressLine line = ProgressLine.to(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    line.onUpdate(running);
    line.onUpdate(evaluation);
    assertEquals("\r" + ProgressLine.format(running) + "\r" + ProgressLine.format(evaluation)
        + " ".repeat(ProgressLine.format(running).length() - ProgressLine.format(evaluation).length())
        + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8), "redrawn in place, ended once terminal");
  }

  // ---------------------------------------------------------------------------------------------
  // The quota: a 30-minute optimization with the default options
  // ---------------------------------------------------------------------------------------------

  /**
   * The simulated job of issue 23: queued for 1 minute, then 10 iterations 2.9 minutes apart, then
   * completed (30 minutes in all), timed on the fake clock. Every request the wait makes counts
   * (status and progress reads; the start call does not). Smallest jitter (random 0: every interval
   * 20 % short, the most polls) and largest (random near 1: 20 % long).
   */
  @ParameterizedTest(name = "random {0}")
  @ValueSource(doubles = {0.0, 0.999999})
  void aThirtyMinuteOptimizationCostsAtMost70RequestsWithTheDefaults(double random) {
    clock.random = random;
    long[] startedAt = new long[1];
    Script script = new Script(job("queued", 0));
    script.byClock = ignored -> {
      double minutes = (clock.nanoTime() - startedAt[0]) / 60e9;
      if (minutes < 1) {
        return ok(job("queued", 0));
      }
      if (minutes < 30) {
        return ok(job("running", (int) ((minutes - 1) / 2.9)));
      }
      return ok(job("completed", 10));
    };
    server.setDispatcher(script);
    startedAt[0] = clock.nanoTime();
    Recorder recorder = new Recorder();
    OptimizationJob done = blocking.optimization().startOptimizationAndWait("prm_1", START, listening(recorder));
    assertEquals("completed", done.status().value());
    long statusReads = script.reads("/opt_1");
    long progressReads = script.reads("/progress");
    long requests = server.getRequestCount() - 1; // not the start call
    assertEquals(statusReads + progressReads, requests);
    assertEquals(10, progressReads, "one progress read per iteration");
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), recorder.points);
    System.out.println("jobs: a 30-minute optimization with the default WaitOptions, jitter at its "
        + (random == 0 ? "smallest" : "largest") + ": " + requests + " requests (" + statusReads + " status + "
        + progressReads + " progress reads), the last " + Duration.ofNanos(clock.nanoTime() - startedAt[0]).toSeconds()
        + " s after the start");
    assertTrue(requests <= 70, requests + " requests");
    assertEquals(random == 0 ? 55 : 42, requests, "the README's figure (formula in its Long-running jobs section)");
  }
}
