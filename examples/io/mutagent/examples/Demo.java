package io.mutagent.examples;

import io.mutagent.AsyncMutagent;
import io.mutagent.KeyScope;
import io.mutagent.Mutagent;
import io.mutagent.RawResponse;
import io.mutagent.RequestOptions;
import io.mutagent.bulk.BulkOptions;
import io.mutagent.bulk.BulkProgressLine;
import io.mutagent.bulk.BulkResult;
import io.mutagent.errors.AuthenticationException;
import io.mutagent.errors.NotFoundException;
import io.mutagent.jobs.JobWaitTimeoutException;
import io.mutagent.jobs.ProgressLine;
import io.mutagent.jobs.WaitOptions;
import io.mutagent.models.EvaluationResult;
import io.mutagent.models.CreatePromptRequest;
import io.mutagent.models.CreateDatasetItemRequest;
import io.mutagent.models.CreatePromptVersionRequest;
import io.mutagent.models.IngestTracesRequest;
import io.mutagent.models.IngestTracesResult;
import io.mutagent.models.PlaygroundRequest;
import io.mutagent.models.PlaygroundResult;
import io.mutagent.models.Prompt;
import io.mutagent.models.PromptPage;
import io.mutagent.models.PromptVersion;
import io.mutagent.models.SpanInput;
import io.mutagent.models.SpanKind;
import io.mutagent.models.StartOptimizationRequest;
import io.mutagent.models.TraceInput;
import io.mutagent.models.TraceStatus;
import io.mutagent.models.WorkspacePage;
import io.mutagent.prompts.CachedPrompt;
import io.mutagent.prompts.FilledPrompt;
import io.mutagent.prompts.PromptCache;
import io.mutagent.services.PromptParams.ListPromptsParams;
import java.time.Duration;
import io.mutagent.tracing.FlushResult;
import io.mutagent.tracing.TraceBatcher;
import io.mutagent.tracing.TraceBatcherOptions;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A walk through the SDK against the server at {@code MUTAGENT_SERVER_URL}, else the default URL
 * (http://localhost:3003). Run it with {@code make demo}, which sets that variable to the Prism mock
 * of our spec it starts there.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    // Any key works against the mock; against the real API, set MUTAGENT_API_KEY.
    String apiKey = System.getenv().getOrDefault("MUTAGENT_API_KEY", "mt_demo_local_key");

    try (Mutagent client = Mutagent.builder().apiKey(apiKey).build()) {
      System.out.println("client: " + client);

      PromptPage page = client.prompt().listPrompts(ListPromptsParams.builder().limit(10).build());
      System.out.printf("1. listPrompts: %d of %d prompts%n", page.data().size(), page.pagination().total());
      for (Prompt prompt : page.data()) {
        System.out.printf("   - %s  %-20s %s%n", prompt.id(), prompt.name(), prompt.status());
      }

      Prompt created = client.prompt().createPrompt(CreatePromptRequest.builder()
          .name("Support reply")
          .content("Answer the customer about {{product}}: {{question}}")
          .tags(List.of("support"))
          .build());
      System.out.printf("2. createPrompt: %s \"%s\" (version %d)%n",
          created.id(), created.name(), created.latestVersion());

      PromptVersion version = client.prompt().createPromptVersion(created.id(),
          CreatePromptVersionRequest.builder()
              .content("Answer briefly and kindly about {{product}}: {{question}}")
              .changelog("Shorter answers")
              .build());
      System.out.printf("3. createPromptVersion: %s is version %d%n", version.id(), version.version());

      PlaygroundResult run = client.prompt().runPromptPlayground(created.id(),
          PlaygroundRequest.builder()
              .variables(Map.of("product", "MutagenT", "question", "How do I rotate an API key?"))
              .build());
      System.out.printf("4. runPromptPlayground: %s said \"%s\" (%d tokens, %d ms)%n",
          run.model(), run.output(), run.usage().totalTokens(), run.latencyMs());

      OffsetDateTime start = OffsetDateTime.of(2026, 11, 23, 9, 0, 0, 0, ZoneOffset.UTC);
      IngestTracesResult ingested = client.traces().ingestTraces(IngestTracesRequest.builder()
          .traces(List.of(TraceInput.builder()
              .name("support-reply")
              .status(TraceStatus.OK)
              .promptId(created.id())
              .startTime(start)
              .endTime(start.plusNanos(850_000_000))
              .spans(List.of(SpanInput.builder()
                  .id("spn_demo_1").name("llm call").kind(SpanKind.LLM).status(TraceStatus.OK)
                  .startTime(start).endTime(start.plusNanos(800_000_000)).build()))
              .build()))
          .build());
      System.out.printf("5. ingestTraces: %d accepted, ids %s%n", ingested.acceptedCount(), ingested.traceIds());

      try {
        // Prism answers with the spec's 404 when asked to; a real server does when the id is unknown.
        client.prompt().getPrompt("prm_missing",
            RequestOptions.builder().header("Prefer", "code=404").build());
      } catch (NotFoundException e) {
        System.out.printf("6. a typed error: %s (status %d, code %s, request id %s)%n   %s%n",
            e.getClass().getSimpleName(), e.statusCode(), e.errorCode().orElse("-"),
            e.requestId().orElse("-"), e.getMessage());
      }

      try {
        Mutagent.builder().apiKey(apiKey).keyScope(KeyScope.ORGANIZATION).build();
      } catch (IllegalArgumentException e) {
        System.out.println("7. refused before sending: " + e.getMessage());
      }
    }

    if (System.getenv("MUTAGENT_API_KEY") == null) {
      try (Mutagent anonymous = Mutagent.fromEnv()) { // no key anywhere: the server answers 401
        anonymous.workspaces().listWorkspaces();
      } catch (AuthenticationException e) {
        System.out.println("8. without a key: " + e.getMessage());
      }
    }

    try (AsyncMutagent async = AsyncMutagent.builder().apiKey(apiKey).build()) {
      CompletableFuture<PromptPage> prompts = async.prompt().listPrompts();
      CompletableFuture<WorkspacePage> workspaces = async.workspaces().listWorkspaces();
      CompletableFuture.allOf(prompts, workspaces).join();
      System.out.printf("9. async, two calls in flight: %d prompts, workspace \"%s\"%n",
          prompts.join().data().size(), workspaces.join().data().get(0).name());
    }

    try (Mutagent client = Mutagent.builder().apiKey(apiKey).build()) {
      long walked = client.prompt().listPromptsAutoPaging().stream().count();
      System.out.println("10. listPromptsAutoPaging: " + walked + " prompts across every page");
      RawResponse<Prompt> raw = client.prompt().withRawResponse().getPrompt("prm_7Hq2mXk9");
      System.out.printf("11. withRawResponse: status %d, request id %s, %s requests left this window%n",
          raw.statusCode(), raw.requestId().orElse("-"),
          raw.rateLimit().remaining().isPresent() ? Long.toString(raw.rateLimit().remaining().getAsLong()) : "?");
      Mutagent patient = client.withOptions(b -> b.maxRetries(5));
      System.out.println("12. withOptions: " + patient);

      // The mock answers every read with the spec's example: the optimization it "starts" stays
      // running at iteration 4 of 10, so this wait is short on purpose and ends by its total
      // timeout, after the progress line showed each poll. The evaluation's example is completed.
      System.out.println("13. startOptimizationAndWait (the mock's job never ends: a 3 s wait):");
      WaitOptions brief = WaitOptions.builder().totalTimeout(Duration.ofSeconds(3))
          .firstInterval(Duration.ofSeconds(1)).maxInterval(Duration.ofSeconds(1))
          .listener(ProgressLine.to(System.out)).build();
      try {
        client.optimization().startOptimizationAndWait("prm_7Hq2mXk9",
            StartOptimizationRequest.builder().datasetId("ds_4Wc9Zt1M").maxIterations(10).build(), brief);
      } catch (JobWaitTimeoutException e) {
        System.out.println();
        System.out.println("    " + e.getMessage());
      }
      System.out.println("14. runEvaluationAndWait:");
      EvaluationResult evaluated = client.promptEvaluations().runEvaluationAndWait("eval_5Kx2Pw7R",
          WaitOptions.builder().firstInterval(Duration.ofMillis(500)).listener(ProgressLine.to(System.out)).build());
      System.out.printf("    average score %.2f over %d items%n", evaluated.summary().averageScore(),
          evaluated.summary().itemCount());
      // One batch per trace here only because the mock answers every batch with its example,
      // acceptedCount 1; against the API leave maxBatchSize at 100.
      TraceBatcher traces = client.traceBatcher(TraceBatcherOptions.builder().maxBatchSize(1).build());
      OffsetDateTime start = OffsetDateTime.of(2026, 11, 23, 9, 0, 0, 0, ZoneOffset.UTC);
      for (int i = 0; i < 3; i++) {
        traces.add(TraceInput.builder().name("background-" + i).status(TraceStatus.OK)
            .startTime(start).endTime(start.plusSeconds(1)).spans(List.of()).build());
      }
      FlushResult flushed = traces.flush().join();
      System.out.printf("15. trace batcher: flush acknowledged %d of 3 traces; %s%n", flushed.sent(),
          traces.counts());

      // 300 dataset items in chunks of 50: each chunk one request, paced by the rate limiter.
      List<CreateDatasetItemRequest> items = new ArrayList<>();
      for (int i = 1; i <= 300; i++) {
        items.add(CreateDatasetItemRequest.builder()
            .input(Map.of("product", "MutagenT", "question", "Customer question #" + i))
            .expectedOutput("Reviewed answer #" + i)
            .build());
      }
      System.out.println("16. bulkAddDatasetItemsInChunks, 300 items in chunks of 50:");
      BulkResult<CreateDatasetItemRequest> uploaded = client.promptDatasetItems().bulkAddDatasetItemsInChunks(
          "ds_4Wc9Zt1M", items, BulkOptions.builder().chunkSize(50)
              .listener(BulkProgressLine.to(System.out, "    dataset items")).build());
      System.out.printf("    %d items added in %d chunks, %d failed%n",
          uploaded.itemsAdded(), uploaded.chunksSent(), uploaded.failedChunks().size());
      // In production: the prompt from memory, filled locally; the traces shipped in the background.
      PromptCache prompts = client.promptCache();
      prompts.prefetch(List.of("prm_7Hq2mXk9")); // one getPrompt, at start-up
      for (int request = 0; request < 3; request++) { // three requests served: no getPrompt
        CachedPrompt cached = prompts.get("prm_7Hq2mXk9", "You are a support agent. Answer: {{question}}");
        FilledPrompt filled = cached.fill(Map.of("question", "How do I reset my key?"));
        if (request == 0) {
          System.out.printf("17. prompt cache: %s prompt '%s', filled: %s%n", cached.freshness(),
              cached.prompt().name(), filled.content());
        }
        traces.add(TraceInput.builder().name("support-reply-" + request).status(TraceStatus.OK)
            .promptId("prm_7Hq2mXk9").startTime(start).endTime(start.plusSeconds(1)).spans(List.of()).build());
      }
      FlushResult shipped = traces.flush().join();
      System.out.printf("    %s; trace batcher: %d more acknowledged, %s%n", prompts.stats(), shipped.sent(),
          traces.counts());
    } // closing the client closes the batcher and the cache first
    System.out.println("done.");
  }
}
