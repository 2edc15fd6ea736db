package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.BadRequestException;
import io.mutagent.errors.InternalServerException;
import io.mutagent.errors.MutagentException;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.errors.MutagentIoException;
import io.mutagent.errors.MutagentTimeoutException;
import io.mutagent.errors.AuthenticationException;
import io.mutagent.errors.RateLimitException;
import io.mutagent.models.CreatePromptRequest;
import io.mutagent.models.PlaygroundRequest;
import io.mutagent.models.Prompt;
import io.mutagent.models.UpdatePromptRequest;
import io.mutagent.services.PromptParams.ListPromptsParams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The reliability suite: the SDK as a hostile server, a careless caller and a busy application
 * would try it. Fast and bounded, loopback only. Each part counts what it saw; the class ends by
 * writing one line computed from the run to {@code target/reliability-summary.txt}, which
 * {@code make test} repeats.
 *
 * <ul>
 *   <li>Faults: every broken answer ends in the documented SDK exception (the same class for both
 *       clients), never a raw Gson, I/O, NPE or date exception; no POST goes out twice with two
 *       idempotency keys; no credential in any message, {@code toString()} or serialized exception;
 *       no message longer than 2,000 characters or holding CR, LF or ESC.
 *   <li>Load: one client shared by 64 threads, sync and async, every response matched to its
 *       request, no SDK thread left after {@code close()}.
 *   <li>Bad input: each refused before anything is sent, with a message that names the parameter.
 * </ul>
 */
class ReliabilityTest {
  static final String KEY = "mt_live_RELIABILITY_secret_4b1d";
  static final String PROMPT = RetryTest.PROMPT;

  static final AtomicInteger faults = new AtomicInteger();
  static final AtomicInteger rawExceptions = new AtomicInteger();
  static final AtomicInteger duplicateWrites = new AtomicInteger();
  static final AtomicInteger secretsShown = new AtomicInteger();
  static final AtomicInteger badInputs = new AtomicInteger();
  static final AtomicInteger badInputsSent = new AtomicInteger();
  static final AtomicInteger loadCalls = new AtomicInteger();
  static final AtomicInteger loadErrors = new AtomicInteger();
  static final AtomicInteger threadsLeft = new AtomicInteger(-1);

  @AfterAll
  static void summary() throws IOException {
    String line = String.format("reliability: %d bad inputs refused, %d sent; %d faults, %d raw exceptions, "
        + "%d duplicate writes, %d secrets shown; %d calls under load, %d errors, %d threads left",
        badInputs.get(), badInputsSent.get(), faults.get(), rawExceptions.get(), duplicateWrites.get(),
        secretsShown.get(), loadCalls.get(), loadErrors.get(), Math.max(0, threadsLeft.get()));
    System.out.println(line);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/reliability-summary.txt"), line + "\n", StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------
  // Faults
  // ---------------------------------------------------------------------------------------------

  static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  /** One broken answer: what the server does, which call meets it, and the exception it must give. */
  record Fault(String name, Class<? extends Throwable> expected, boolean write,
      Consumer<Mutagent.Builder> setup, MockResponse... responses) {}

  static final CreatePromptRequest CREATE = CreatePromptRequest.builder().name("n").content("c").build();

  static MockResponse[] times(int n, MockResponse response) {
    MockResponse[] out = new MockResponse[n];
    for (int i = 0; i < n; i++) {
      out[i] = response.clone();
    }
    return out;
  }

  static Buffer gzip(String text) {
    Buffer out = new Buffer();
    try (okio.BufferedSink sink = okio.Okio.buffer(new okio.GzipSink(out))) {
      sink.writeUtf8(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  static List<Fault> faults() {
    Consumer<Mutagent.Builder> none = b -> { };
    String hugeBody = "x".repeat(10 * 1024 * 1024);
    Buffer corruptGzip = new Buffer().write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6});
    return List.of(
        new Fault("a reset before the request is read", MutagentIoException.class, true, none,
            new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START)),
        new Fault("a reset after the request body", MutagentIoException.class, true, none,
            new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST)),
        new Fault("a truncated body", MutagentIoException.class, false, none,
            times(3, json(200, PROMPT).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY))),
        // One byte per 25 ms: the 173-byte body needs 4 s, far past the 300 ms timeout, and the
        // server's thread, which close() waits for, wakes within 25 ms instead of a second.
        new Fault("a slow body past the timeout", MutagentTimeoutException.class, false,
            b -> b.timeout(Duration.ofMillis(300)).maxRetries(0),
            json(200, PROMPT).throttleBody(1, 25, TimeUnit.MILLISECONDS)),
        new Fault("malformed JSON", MutagentInvalidDataException.class, false, none,
            json(200, "{\"id\": \"prm_1\", ")),
        new Fault("HTML with a 200", MutagentInvalidDataException.class, false, none,
            new MockResponse().setHeader("Content-Type", "text/html").setBody("<html><body>Welcome</body></html>")),
        new Fault("a string in a number field (its getter fails)", MutagentInvalidDataException.class, false, none,
            json(200, PROMPT.replace("\"latestVersion\":1", "\"latestVersion\":\"many\""))),
        new Fault("a null body", MutagentInvalidDataException.class, false, none, json(200, "null")),
        new Fault("a 204 where a body is promised", MutagentInvalidDataException.class, false, none,
            new MockResponse().setResponseCode(204)),
        new Fault("an empty 200 body", MutagentInvalidDataException.class, false, none, json(200, "")),
        new Fault("data after the JSON", MutagentInvalidDataException.class, false, none,
            json(200, PROMPT + " {\"more\":1}")),
        new Fault("a 10 MB error body", InternalServerException.class, false, none,
            times(3, json(500, hugeBody))),
        new Fault("control characters in an error", BadRequestException.class, false, none,
            json(400, "{\"error\":\"bad\\r\\n\",\"message\":\"line one\\r\\n2026-11-25 INFO forged line\\u001b[2J\"}")
                .addHeaderLenient("X-Request-Id", "req\u001b[31m")),
        new Fault("echoed credentials", AuthenticationException.class, false, none,
            json(401, "{\"error\":\"unauthorized\",\"message\":\"key " + KEY + " is revoked\",\"requestId\":\"" + KEY + "\"}")
                .setHeader("X-Request-Id", "req_" + KEY).setHeader("X-Echo", KEY)),
        new Fault("a 503 storm on a write", InternalServerException.class, true, none,
            times(5, json(503, "{\"error\":\"unavailable\",\"message\":\"busy\"}"))),
        new Fault("a 503 storm on a read", InternalServerException.class, false, none,
            times(3, json(503, "{\"error\":\"unavailable\",\"message\":\"busy\"}"))),
        // A gzipped body trickled past the timeout is a timeout, not a corrupt encoding: okio's
        // gzip classes are on the stack of the failed socket read, but they did not throw.
        new Fault("a slow gzip body past the timeout", MutagentTimeoutException.class, false,
            b -> b.timeout(Duration.ofMillis(300)).maxRetries(0),
            new MockResponse().setHeader("Content-Type", "application/json").setHeader("Content-Encoding", "gzip")
                .setBody(gzip(PROMPT)).throttleBody(1, 25, TimeUnit.MILLISECONDS)),
        new Fault("a corrupt gzip body", MutagentInvalidDataException.class, false, none,
            new MockResponse().setHeader("Content-Type", "application/json").setHeader("Content-Encoding", "gzip")
                .setBody(corruptGzip)),
        new Fault("an absurd X-RateLimit-Reset", RateLimitException.class, false, b -> b.maxRetries(0),
            json(429, "{\"error\":\"rate_limited\",\"message\":\"slow down\"}")
                .setHeader("X-RateLimit-Reset", "9223372036854775807").setHeader("Retry-After", "9999999999999")),
        new Fault("duplicate keys in an error's details", BadRequestException.class, false, none,
            json(400, "{\"error\":\"bad\",\"message\":\"m\",\"details\":{\"a\":1,\"a\":2}}")),
        new Fault("a property name with control characters", MutagentInvalidDataException.class, false, none,
            json(200, "{\"evil\\r\\nname\\u001b\":[1],\"latestVersion\":{\"x\":1}}")),
        new Fault("a date field that holds the key (its getter fails)", MutagentInvalidDataException.class, false, none,
            json(200, PROMPT.replace("2026-10-12T08:30:00Z", KEY))));
  }

  @Test
  void everyFaultEndsInTheDocumentedExceptionForBothClients() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Fault fault : faults()) {
      faults.incrementAndGet();
      Class<?> syncType = run(fault, false, problems);
      Class<?> asyncType = run(fault, true, problems);
      if (syncType != asyncType) {
        problems.add(fault.name() + ": the blocking client threw " + syncType + ", the async one " + asyncType);
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /** Runs one fault through one client; returns the class of what it threw. */
  static Class<?> run(Fault fault, boolean async, List<String> problems) throws Exception {
    String where = fault.name() + (async ? " (async)" : " (blocking)");
    try (MockWebServer server = TestServers.mockWebServer()) {
      for (MockResponse response : fault.responses()) {
        server.enqueue(response.clone());
      }
      server.start();
      Mutagent.Builder builder = TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString())
          .scheduler(new FakeScheduler());
      fault.setup().accept(builder);
      Throwable thrown = null;
      try (Mutagent client = builder.build()) {
        if (async) {
          CompletableFuture<?> future = asyncCall(client.async(), fault);
          future.get(20, TimeUnit.SECONDS);
        } else {
          if (fault.write()) {
            client.prompt().createPrompt(CREATE);
          } else {
            readValues(client.prompt().getPrompt("prm_1"));
          }
        }
      } catch (ExecutionException e) {
        thrown = e.getCause();
      } catch (Throwable e) {
        thrown = e;
      }
      if (thrown == null) {
        problems.add(where + ": no exception");
        return null;
      }
      if (!(thrown instanceof MutagentException)) {
        rawExceptions.incrementAndGet();
        problems.add(where + ": a raw " + thrown);
      } else if (!fault.expected().isInstance(thrown)) {
        problems.add(where + ": " + thrown.getClass().getSimpleName() + " instead of "
            + fault.expected().getSimpleName() + ": " + thrown.getMessage());
      }
      checkText(where, thrown, problems);
      checkWrites(where, server, problems);
      return thrown.getClass();
    }
  }

  static CompletableFuture<?> asyncCall(AsyncMutagent client, Fault fault) {
    return fault.write() ? client.prompt().createPrompt(CREATE)
        : client.prompt().getPrompt("prm_1").thenApply(ReliabilityTest::readValues);
  }

  /**
   * Reads a prompt's date-times and its number as a caller would: a bad date, or a value that does
   * not fit its type, fails its getter, not the call.
   */
  static Prompt readValues(Prompt prompt) {
    prompt.createdAt();
    prompt.updatedAt();
    prompt.latestVersion();
    return prompt;
  }

  /** No credential anywhere in the text, the causes, toString() or the serialized form; bounded, one line. */
  static void checkText(String where, Throwable thrown, List<String> problems) throws IOException {
    StringBuilder text = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      text.append(t).append('\n');
      if (t.getMessage() != null) {
        if (t.getMessage().length() > 2000) {
          problems.add(where + ": a message of " + t.getMessage().length() + " characters");
        }
        if (t.getMessage().matches("(?s).*[\\r\\n\\u001b].*")) {
          problems.add(where + ": a message with CR, LF or ESC: " + t.getMessage().replace("\u001b", "<ESC>"));
        }
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(thrown);
    }
    String serialized = bytes.toString(StandardCharsets.ISO_8859_1);
    if (text.indexOf(KEY) >= 0 || serialized.contains(KEY)) {
      secretsShown.incrementAndGet();
      problems.add(where + ": the API key is shown in " + (text.indexOf(KEY) >= 0 ? text : "the serialized exception"));
    }
  }

  /** Every POST the server saw in one call carried one and the same Idempotency-Key. */
  static void checkWrites(String where, MockWebServer server, List<String> problems) throws InterruptedException {
    Set<String> keys = new HashSet<>();
    int posts = 0;
    for (int i = server.getRequestCount(); i > 0; i--) {
      RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
      if (request != null && "POST".equals(request.getMethod())) {
        posts++;
        keys.add(request.getHeader("Idempotency-Key"));
      }
    }
    if (posts > 1 && (keys.size() > 1 || keys.contains(null))) {
      duplicateWrites.incrementAndGet();
      problems.add(where + ": " + posts + " POSTs with keys " + keys);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Load
  // ---------------------------------------------------------------------------------------------

  @Test
  void oneClientSharedBy64ThreadsAnswersEveryCallWithItsOwnResponse() throws Exception {
    int calls = 10_000;
    try (MockWebServer server = TestServers.mockWebServer()) {
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          String id = request.getPath().substring(request.getPath().lastIndexOf('/') + 1);
          return json(200, PROMPT.replace("prm_7Hq2mXk9", id));
        }
      });
      server.start();
      AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(server.url("/").toString()).build();
      io.mutagent.internal.http.Resources resources = client.core().transport.resources;
      Mutagent sync = client.sync();
      ExecutorService pool = Executors.newFixedThreadPool(64);
      Semaphore inFlight = new Semaphore(256);
      AtomicInteger mismatched = new AtomicInteger();
      List<Future<?>> tasks = new ArrayList<>();
      List<CompletableFuture<?>> futures = Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < 64; t++) {
        int thread = t;
        tasks.add(pool.submit(() -> {
          for (int i = thread; i < calls; i += 64) {
            String id = "prm_" + i;
            loadCalls.incrementAndGet();
            if (i % 2 == 0) {
              try {
                if (!sync.prompt().getPrompt(id).id().equals(id)) {
                  mismatched.incrementAndGet();
                }
              } catch (RuntimeException e) {
                loadErrors.incrementAndGet();
              }
            } else {
              inFlight.acquireUninterruptibly();
              futures.add(client.prompt().getPrompt(id).whenComplete((prompt, failure) -> {
                inFlight.release();
                if (failure != null) {
                  loadErrors.incrementAndGet();
                } else if (!prompt.id().equals(id)) {
                  mismatched.incrementAndGet();
                }
              }));
            }
          }
        }));
      }
      for (Future<?> task : tasks) {
        task.get(120, TimeUnit.SECONDS);
      }
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).exceptionally(e -> null)
          .get(120, TimeUnit.SECONDS);
      pool.shutdown();
      client.close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ClientTransportTest.sdkThreads(resources) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      threadsLeft.set((int) ClientTransportTest.sdkThreads(resources));
      loadErrors.addAndGet(mismatched.get());
      assertEquals(calls, server.getRequestCount());
      assertEquals(0, mismatched.get(), "responses matched to the wrong request");
      assertEquals(0, loadErrors.get(), "errors under load");
      assertEquals(0, threadsLeft.get(), "SDK threads left after close()");
    }
  }

  @Test
  void closeRacingCallsFailsThemWithTheClosedErrorOrLetsThemFinish() throws Exception {
    try (MockWebServer server = TestServers.mockWebServer()) {
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return json(200, PROMPT);
        }
      });
      server.start();
      AsyncMutagent client = TestClients.asyncMutagent().apiKey(KEY).serverUrl(server.url("/").toString()).build();
      List<CompletableFuture<Prompt>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        futures.add(client.prompt().getPrompt("prm_" + i));
        if (i == 100) {
          client.close();
        }
      }
      Map<String, Integer> outcomes = new ConcurrentHashMap<>();
      for (CompletableFuture<Prompt> future : futures) {
        try {
          future.get(10, TimeUnit.SECONDS);
          outcomes.merge("done", 1, Integer::sum);
        } catch (ExecutionException e) {
          String kind = e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("closed")
              ? "closed" : "other: " + e.getCause();
          outcomes.merge(kind, 1, Integer::sum);
        }
      }
      assertTrue(Set.of("done", "closed").containsAll(outcomes.keySet()), "only finished or closed: " + outcomes);
      assertTrue(outcomes.getOrDefault("closed", 0) >= 99, "every call after close() fails as closed: " + outcomes);
      assertEquals(0, client.core().transport.http.connectionPool().connectionCount(), "no socket stays open");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Bad input
  // ---------------------------------------------------------------------------------------------

  /** A bad input: what is tried, and the words its message must contain (the parameter, the fix). */
  record Bad(String what, Runnable attempt, String... mustSay) {}

  @Test
  void everyBadInputIsRefusedBeforeAnythingIsSentNamingTheParameter() throws Exception {
    try (MockWebServer server = TestServers.mockWebServer()) {
      server.start();
      String url = server.url("/").toString();
      Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(url).build();
      AsyncMutagent async = client.async();
      Mutagent.Builder base = TestClients.mutagent().apiKey(KEY).serverUrl(url);
      RequestOptions none = RequestOptions.none();
      List<Bad> table = List.of(
          new Bad("a null id", () -> client.prompt().getPrompt(null), "promptId", "pass the id"),
          new Bad("an empty id", () -> client.prompt().getPrompt(""), "promptId", "blank"),
          new Bad("a blank id", () -> client.prompt().getPrompt("   "), "promptId", "blank"),
          new Bad("an oversized id", () -> client.prompt().getPrompt("p".repeat(300)), "promptId", "at most 256"),
          new Bad("a unicode id", () -> client.prompt().getPrompt("prm_é1"), "promptId", "non-ASCII"),
          new Bad("an id with /", () -> client.prompt().getPrompt("prm/1"), "promptId", "'/'"),
          new Bad("an id with ?", () -> client.prompt().getPrompt("prm?x=1"), "promptId", "'?'"),
          new Bad("an id with #", () -> client.prompt().getPrompt("prm#1"), "promptId", "'#'"),
          new Bad("the id .", () -> client.prompt().getPrompt("."), "promptId", "must not be '.'"),
          new Bad("the id ..", () -> client.prompt().getPrompt(".."), "promptId", "must not be '..'"),
          new Bad("an id with CR/LF", () -> client.prompt().getPrompt("prm\r\nX-Evil: 1"), "promptId", "control character"),
          new Bad("an id with a space", () -> client.prompt().getPrompt("prm 1"), "promptId", "a space"),
          new Bad("a null body", () -> client.prompt().createPrompt(null), "createPromptRequest", "builder()"),
          new Bad("a missing required field", () -> CreatePromptRequest.builder().name("n").build(), "content", "builder()"),
          new Bad("a null PATCH body", () -> client.prompt().updatePrompt("prm_1", null), "updatePromptRequest"),
          new Bad("a NaN temperature", () -> PlaygroundRequest.builder().temperature(Double.NaN), "temperature", "finite"),
          new Bad("an infinite temperature", () -> PlaygroundRequest.builder().temperature(Double.POSITIVE_INFINITY), "temperature"),
          new Bad("null params", () -> client.prompt().listPrompts((ListPromptsParams) null), "params", "ListPromptsParams.none()"),
          new Bad("a limit of 0", () -> ListPromptsParams.builder().limit(0), "limit", "at least 1"),
          new Bad("a limit of 500", () -> ListPromptsParams.builder().limit(500), "limit", "at most 100"),
          new Bad("page 0", () -> ListPromptsParams.builder().page(0), "page", "at least 1"),
          new Bad("null options", () -> client.prompt().getPrompt("prm_1", (RequestOptions) null), "options", "RequestOptions.none()"),
          new Bad("a relative URL", () -> base.serverUrl("api.mutagent.io").build(), "serverUrl", "https://api.mutagent.io"),
          new Bad("an ftp URL", () -> base.serverUrl("ftp://api.mutagent.io").build(), "serverUrl", "not an http(s) URL"),
          new Bad("a URL ending in /api", () -> base.serverUrl("https://api.mutagent.io/api").build(), "serverUrl", "ends in /api"),
          new Bad("a URL with /api/api/", () -> base.serverUrl("https://api.mutagent.io/api/api/").build(), "serverUrl", "ends in /api"),
          new Bad("a URL with user info", () -> base.serverUrl("https://u:pw@api.mutagent.io").build(), "serverUrl", "user info"),
          new Bad("plain HTTP to a remote host", () -> base.serverUrl("http://api.mutagent.io").build(), "serverUrl", "allowInsecureHttp"),
          new Bad("an organization key without a workspace", () -> base.keyScope(KeyScope.ORGANIZATION).build(), "workspace", "workspaceId("),
          new Bad("a user key without an organization", () -> TestClients.mutagent().apiKey(KEY).serverUrl(url)
              .keyScope(KeyScope.USER).workspaceId("ws_1").build(), "organization", "organizationId("),
          new Bad("a workspace id with a workspace key", () -> TestClients.mutagent().apiKey(KEY).serverUrl(url)
              .workspaceId("ws_1").build(), "workspaceId", "keyScope"),
          new Bad("a blank workspace copy", () -> client.withWorkspace(" "), "workspaceId"),
          new Bad("a per-call workspace with a workspace key", () -> client.prompt().getPrompt("prm_1",
              RequestOptions.builder().workspaceId("ws_2").build()), "workspaceId", "keyScope"),
          new Bad("a header value with CR/LF", () -> RequestOptions.builder().header("X-A", "a\r\nX-Evil: 1"), "X-A", "line break"),
          new Bad("a header name with a colon", () -> RequestOptions.builder().header("X-A:", "v"), "header name"),
          new Bad("overriding x-api-key", () -> RequestOptions.builder().header("X-Api-Key", "other"), "X-Api-Key", "apiKey("),
          new Bad("an idempotency key with a newline", () -> RequestOptions.builder().idempotencyKey("k\n1"), "idempotencyKey"),
          new Bad("a zero timeout", () -> TestClients.mutagent().timeout(Duration.ZERO).build(), "timeout", "Duration.ofSeconds"),
          new Bad("a negative timeout", () -> TestClients.mutagent().timeout(Duration.ofSeconds(-1)).build(), "timeout"),
          new Bad("an absurd timeout", () -> TestClients.mutagent().timeout(Duration.ofDays(365)).build(), "timeout", "24 days"),
          new Bad("a zero per-call timeout", () -> RequestOptions.builder().timeout(Duration.ZERO), "timeout"),
          new Bad("both auth methods", () -> TestClients.mutagent().apiKey(KEY).bearerToken("jwt").build(), "apiKey", "bearerToken"),
          new Bad("a key with surrounding whitespace", () -> TestClients.mutagent().apiKey(" " + KEY + " ").build(), "apiKey", "stray"),
          new Bad("a blank key", () -> TestClients.mutagent().apiKey("  ").build(), "apiKey", "blank"),
          new Bad("a MUTAGENT_API_KEY with a newline", () -> Mutagent.builder()
              .environment(Map.of("MUTAGENT_API_KEY", KEY + "\n")).build(), "MUTAGENT_API_KEY"),
          new Bad("-1 retries", () -> TestClients.mutagent().maxRetries(-1).build(), "maxRetries", "default is 2"),
          new Bad("11 retries per call", () -> RequestOptions.builder().maxRetries(11), "maxRetries"),
          new Bad("an async null id", () -> join(async.prompt().getPrompt(null)), "promptId"),
          new Bad("an async null body", () -> join(async.prompt().updatePrompt("prm_1", (UpdatePromptRequest) null)), "updatePromptRequest"));
      List<String> problems = new ArrayList<>();
      for (Bad bad : table) {
        badInputs.incrementAndGet();
        try {
          bad.attempt().run();
          problems.add(bad.what() + ": accepted");
        } catch (IllegalArgumentException | IllegalStateException e) {
          for (String word : bad.mustSay()) {
            if (!e.getMessage().contains(word)) {
              problems.add(bad.what() + ": the message does not say '" + word + "': " + e.getMessage());
            }
          }
          if (e.getMessage().contains(KEY)) {
            secretsShown.incrementAndGet();
            problems.add(bad.what() + ": the message shows the key");
          }
        } catch (RuntimeException e) {
          rawExceptions.incrementAndGet();
          problems.add(bad.what() + ": " + e);
        }
      }
      client.close();
      badInputsSent.set(server.getRequestCount());
      assertTrue(problems.isEmpty(), String.join("\n", problems));
      assertEquals(0, server.getRequestCount(), "a bad input reached the server");
      assertTrue(table.size() >= 40);
    }
  }

  /** Waits for a future and rethrows its failure as it is, for the bad-input table. */
  static void join(CompletableFuture<?> future) {
    try {
      future.join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  @Test
  void pathParametersAreAlwaysPercentEncoded() throws Exception {
    try (MockWebServer server = TestServers.mockWebServer()) {
      server.enqueue(json(200, PROMPT));
      server.enqueue(json(200, PROMPT));
      server.start();
      try (Mutagent client = TestClients.mutagent().serverUrl(server.url("/").toString()).build()) {
        client.prompt().getPrompt("a%2Fb");
        client.prompt().getPrompt("prm:1@x+y");
      }
      assertEquals("/api/prompt/a%252Fb", server.takeRequest().getPath());
      assertEquals("/api/prompt/prm:1@x+y", server.takeRequest().getPath());
    }
  }
}
