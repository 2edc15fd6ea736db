package io.mutagent.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.AsyncMutagent;
import io.mutagent.Mutagent;
import io.mutagent.RequestOptions;
import io.mutagent.TestClients;
import io.mutagent.jobs.JobListener;
import io.mutagent.jobs.JobSnapshot;
import io.mutagent.jobs.JobWaitTimeoutException;
import io.mutagent.jobs.ScorePoint;
import io.mutagent.jobs.WaitOptions;
import io.mutagent.models.CreateExperimentRequest;
import io.mutagent.models.EvaluationResult;
import io.mutagent.models.ExperimentResults;
import io.mutagent.models.StartOptimizationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The waiting methods against Prism serving the spec's examples, on both clients, with every
 * exchange checked for Prism violations. The evaluation's and the experiment's status examples
 * are {@code completed}, so those waits complete and return the result example. The optimization's
 * status example stays {@code running} at iteration 4 of 10 (a static mock never moves), so its
 * wait reads the progress once, hears the example's four score points, and ends by a short total
 * timeout. The class ends by checking that it called every waiting method the spec's
 * {@code x-mutagent-job} asks for, on both clients.
 */
@Tag("contract")
@ExtendWith(PrismServer.class)
class JobWaitContractTest {
  static final String API_KEY = "mt_contract_test_key";
  static final WaitOptions QUICK = WaitOptions.builder().firstInterval(Duration.ofMillis(50))
      .maxInterval(Duration.ofMillis(50)).build();

  /** The waiting methods called, as {@code Mutagent:runEvaluationAndWait}. */
  static final Set<String> CALLED = new ConcurrentSkipListSet<>();

  final ContractRecorder recorder = new ContractRecorder();
  OkHttpClient http;
  Mutagent sync;
  AsyncMutagent async;

  @BeforeEach
  void clients() {
    http = new OkHttpClient.Builder().addInterceptor(recorder).build();
    sync = TestClients.mutagent().apiKey(API_KEY).serverUrl(PrismServer.baseUrl()).httpClient(http).build();
    async = TestClients.asyncMutagent().apiKey(API_KEY).serverUrl(PrismServer.baseUrl()).httpClient(http).build();
  }

  @AfterEach
  void close() {
    sync.close();
    async.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    for (ContractRecorder.Exchange exchange : recorder.exchanges()) {
      assertEquals(null, exchange.violations(), exchange.method() + " " + exchange.path() + ": Prism violations");
      assertTrue(exchange.status() < 300, exchange.method() + " " + exchange.path() + ": status " + exchange.status());
    }
  }

  @AfterAll
  static void everyWaitingMethodWasCalledOnBothClients() {
    Set<String> expected = new TreeSet<>();
    for (String client : List.of("Mutagent", "AsyncMutagent")) {
      SpecOperations.all().forEach(op -> op.waitMethods().forEach(m -> expected.add(client + ":" + m)));
    }
    assertEquals(expected, new TreeSet<>(CALLED), "the waiting methods called against Prism");
    System.out.println("contract: " + CALLED.size() + " waiting methods x clients called against Prism: "
        + CALLED.stream().collect(Collectors.joining(", ")));
  }

  static void called(String client, String method) {
    CALLED.add(client + ":" + method);
  }

  @Test
  void anEvaluationWaitCompletesOnTheExamplesOnBothClients() throws Exception {
    EvaluationResult blocking = sync.promptEvaluations().runEvaluationAndWait("eval_5Kx2Pw7R", QUICK);
    EvaluationResult viaAsync = async.promptEvaluations().runEvaluationAndWait("eval_5Kx2Pw7R", QUICK)
        .get(30, TimeUnit.SECONDS);
    String expected = SpecOperations.byId("getEvaluationResult").responseExample().getAsJsonObject()
        .get("evaluationId").getAsString();
    assertEquals(expected, blocking.evaluationId());
    assertEquals(expected, viaAsync.evaluationId());
    assertEquals(expected, sync.promptEvaluations().waitForEvaluation("eval_5Kx2Pw7R", QUICK).evaluationId());
    assertEquals(expected, async.promptEvaluations().waitForEvaluation("eval_5Kx2Pw7R", QUICK)
        .get(30, TimeUnit.SECONDS).evaluationId());
    for (String client : List.of("Mutagent", "AsyncMutagent")) {
      called(client, "runEvaluationAndWait");
      called(client, "waitForEvaluation");
    }
  }

  @Test
  void anExperimentWaitCompletesOnTheExamplesOnBothClients() throws Exception {
    CreateExperimentRequest create = CreateExperimentRequest.builder().name("Support reply v3 vs v4")
        .datasetId("ds_4Wc9Zt1M").promptVersionIds(List.of("ver_3Jd8Kw2N", "ver_9Pz4Rt6Y")).build();
    ExperimentResults blocking = sync.experiments().createExperimentAndWait(create, QUICK);
    ExperimentResults viaAsync = async.experiments().createExperimentAndWait(create, QUICK).get(30, TimeUnit.SECONDS);
    String winner = SpecOperations.byId("getExperimentResults").responseExample().getAsJsonObject()
        .get("winnerPromptVersionId").getAsString();
    assertEquals(winner, blocking.winnerPromptVersionId().orElse(null));
    assertEquals(winner, viaAsync.winnerPromptVersionId().orElse(null));
    assertEquals(winner, sync.experiments().waitForExperiment("exp_3Rf6Gh9J", QUICK).winnerPromptVersionId().orElse(null));
    assertEquals(winner, async.experiments().waitForExperiment("exp_3Rf6Gh9J", QUICK).get(30, TimeUnit.SECONDS)
        .winnerPromptVersionId().orElse(null));
    for (String client : List.of("Mutagent", "AsyncMutagent")) {
      called(client, "createExperimentAndWait");
      called(client, "waitForExperiment");
    }
  }

  @Test
  void anOptimizationWaitReadsTheProgressOnceAndEndsByItsTotalTimeoutOnBothClients() throws Exception {
    StartOptimizationRequest start = StartOptimizationRequest.builder().datasetId("ds_4Wc9Zt1M").maxIterations(10)
        .targetScore(0.95).build();
    for (boolean onAsync : new boolean[] {false, true}) {
      for (boolean resumed : new boolean[] {false, true}) {
        waitOnOptimization(start, onAsync, resumed);
      }
    }
    long progressReads = recorder.exchanges().stream().filter(x -> x.path().endsWith("/progress")).count();
    assertEquals(4, progressReads, "one progress read per wait: the iteration moved once (to 4)");
  }

  void waitOnOptimization(StartOptimizationRequest start, boolean onAsync, boolean resumed) throws Exception {
    List<Integer> points = Collections.synchronizedList(new ArrayList<>());
    WaitOptions wait = QUICK.toBuilder().totalTimeout(Duration.ofMillis(400)).listener(new JobListener() {
      @Override
      public void onScorePoint(JobSnapshot job, ScorePoint point) {
        points.add(point.iteration());
      }
    }).build();
    JobWaitTimeoutException e;
    if (onAsync) {
      ExecutionException failed = assertThrows(ExecutionException.class, () -> (resumed
          ? async.optimization().waitForOptimization("opt_8Nm3Qs6T", wait)
          : async.optimization().startOptimizationAndWait("prm_7Hq2mXk9", start, RequestOptions.none(), wait))
          .get(30, TimeUnit.SECONDS));
      e = assertInstanceOf(JobWaitTimeoutException.class, failed.getCause());
    } else {
      e = assertThrows(JobWaitTimeoutException.class, () -> {
        if (resumed) {
          sync.optimization().waitForOptimization("opt_8Nm3Qs6T", wait);
        } else {
          sync.optimization().startOptimizationAndWait("prm_7Hq2mXk9", start, wait);
        }
      });
    }
    assertEquals("running", e.status());
    assertEquals(List.of(1, 2, 3, 4), points, "the example's points, once each");
    called(onAsync ? "AsyncMutagent" : "Mutagent", resumed ? "waitForOptimization" : "startOptimizationAndWait");
  }
}
