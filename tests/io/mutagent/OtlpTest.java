package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.InternalServerException;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.models.OtlpExportResponse;
import io.mutagent.models.OtlpPartialSuccess;
import io.mutagent.models.OtlpTraceRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OTLP bridge on MockWebServer: protobuf bytes sent as they are with their content type, the
 * protobuf answer decoded, the JSON answer read with its int64 as a string or a number, with both
 * clients and the raw-response views.
 */
class OtlpTest {
  static final String KEY = "mt_otlp_test_key";
  /** Not a real ExportTraceServiceRequest: the SDK sends whatever bytes it is given, unread. */
  static final byte[] EXPORT_REQUEST = {0x0A, 0x03, 0x0A, 0x01, 0x00, (byte) 0xFF, 0x00, (byte) 0x80, 0x7F};
  /** partial_success { rejected_spans: 2, error_message: "two spans lack a traceId" }. */
  static final byte[] PARTIAL_ANSWER = concat(new byte[] {0x0A, 28, 0x08, 0x02, 0x12, 24},
      "two spans lack a traceId".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  MockWebServer server;
  FakeScheduler clock;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
    clock = new FakeScheduler();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  Mutagent client() {
    return TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString()).scheduler(clock).build();
  }

  AsyncMutagent asyncClient() {
    return TestClients.asyncMutagent().apiKey(KEY).serverUrl(server.url("/").toString()).scheduler(clock).build();
  }

  static MockResponse protobuf(byte[] body) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/x-protobuf")
        .setBody(new Buffer().write(body));
  }

  static MockResponse json(String body) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  RecordedRequest taken() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertNotNull(request, "the server got no request");
    return request;
  }

  static void assertSentAsProtobuf(RecordedRequest request) {
    assertEquals("POST", request.getMethod());
    assertEquals("/api/traces/otlp", request.getPath());
    assertEquals("application/x-protobuf", request.getHeader("Content-Type"));
    assertEquals("application/x-protobuf", request.getHeader("Accept"));
    assertEquals(Integer.toString(EXPORT_REQUEST.length), request.getHeader("Content-Length"));
    assertArrayEquals(EXPORT_REQUEST, request.getBody().readByteArray(), "the bytes, as given");
    assertEquals(KEY, request.getHeader("x-api-key"));
    assertNotNull(request.getHeader("Idempotency-Key"));
  }

  static void assertPartial(OtlpExportResponse response) {
    OtlpPartialSuccess partial = response.partialSuccess().orElseThrow();
    assertEquals(java.util.OptionalLong.of(2), partial.rejectedSpans());
    assertEquals(Optional.of("two spans lack a traceId"), partial.errorMessage());
  }

  @Test
  void protobufBytesGoOutAsTheyAreAndTheProtobufAnswerIsDecoded() throws Exception {
    server.enqueue(protobuf(PARTIAL_ANSWER));
    try (Mutagent client = client()) {
      assertPartial(client.traces().ingestOtlpTracesProtobuf(EXPORT_REQUEST));
    }
    assertSentAsProtobuf(taken());
  }

  @Test
  void anEmptyProtobufAnswerMeansEverySpanWasAccepted() throws Exception {
    server.enqueue(protobuf(new byte[0]));
    try (Mutagent client = client()) {
      OtlpExportResponse response = client.traces().ingestOtlpTracesProtobuf(EXPORT_REQUEST, RequestOptions.none());
      assertEquals(Optional.empty(), response.partialSuccess());
    }
  }

  @Test
  void unknownFieldsInTheProtobufAnswerAreSkipped() throws Exception {
    // An unknown varint (field 2) and string (field 3) around partial_success, an unknown fixed32
    // (field 9) inside it.
    byte[] inner = {0x4D, 1, 2, 3, 4, 0x08, 0x05};
    byte[] answer = concat(new byte[] {0x10, (byte) 0x96, 0x01, 0x1A, 0x02, 'h', 'i', 0x0A, (byte) inner.length}, inner);
    server.enqueue(protobuf(answer));
    try (Mutagent client = client()) {
      OtlpPartialSuccess partial = client.traces().ingestOtlpTracesProtobuf(EXPORT_REQUEST).partialSuccess().orElseThrow();
      assertEquals(java.util.OptionalLong.of(5), partial.rejectedSpans());
      assertEquals(Optional.empty(), partial.errorMessage());
    }
  }

  @Test
  void aMalformedProtobufAnswerIsInvalidData() {
    server.enqueue(protobuf(new byte[] {0x0A, 0x09, 0x08}));
    try (Mutagent client = client()) {
      MutagentInvalidDataException e = assertThrows(MutagentInvalidDataException.class,
          () -> client.traces().ingestOtlpTracesProtobuf(EXPORT_REQUEST));
      assertTrue(e.getMessage().contains("not the protobuf ExportTraceServiceResponse"), e.getMessage());
    }
  }

  @Test
  void aJsonAnswerToAProtobufRequestIsReadAsJson() throws Exception {
    server.enqueue(json("{\"partialSuccess\":{\"rejectedSpans\":\"2\",\"errorMessage\":\"two spans lack a traceId\"}}"));
    try (Mutagent client = client()) {
      assertPartial(client.traces().ingestOtlpTracesProtobuf(EXPORT_REQUEST));
    }
  }

  @ParameterizedTest(name = "rejectedSpans as {0}")
  @ValueSource(strings = {"\"2\"", "2"})
  void theJsonAnswerReadsRejectedSpansAsAStringOrANumber(String rejected) throws Exception {
    server.enqueue(json("{\"partialSuccess\":{\"rejectedSpans\":" + rejected
        + ",\"errorMessage\":\"two spans lack a traceId\"}}"));
    try (Mutagent client = client()) {
      assertPartial(client.traces().ingestOtlpTraces(OtlpTraceRequest.builder().resourceSpans(List.of()).build()));
    }
    RecordedRequest request = taken();
    assertEquals("application/json; charset=UTF-8", request.getHeader("Content-Type"));
    assertEquals("application/json", request.getHeader("Accept"));
    assertEquals("{\"resourceSpans\":[]}", request.getBody().readUtf8());
  }

  @Test
  void anEmptyJsonAnswerMeansEverySpanWasAccepted() {
    server.enqueue(json("{}"));
    try (Mutagent client = client()) {
      OtlpExportResponse response = client.traces().ingestOtlpTraces(
          OtlpTraceRequest.builder().resourceSpans(List.of()).build());
      assertEquals(Optional.empty(), response.partialSuccess());
    }
  }

  @Test
  void theProtobufBodyIsOneShotSoOkHttpNeverReplaysIt() throws Exception {
    List<Boolean> oneShot = new ArrayList<>();
    OkHttpClient http = new OkHttpClient.Builder().addInterceptor(chain -> {
      oneShot.add(chain.request().body().isOneShot());
      return chain.proceed(chain.request());
    }).build();
    server.enqueue(protobuf(new byte[0]));
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString())
        .httpClient(http).build()) {
      client.traces().ingestOtlpTracesProtobuf(EXPORT_REQUEST);
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
    assertEquals(List.of(true), oneShot);
  }

  @Test
  void aRetryResendsTheSameBytesWithTheSameIdempotencyKeyAndAFiveHundredIsSentOnce() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "1")
        .setHeader("Content-Type", "application/json").setBody("{\"error\":\"busy\",\"message\":\"busy\"}"));
    server.enqueue(protobuf(PARTIAL_ANSWER));
    server.enqueue(new MockResponse().setResponseCode(500).setHeader("Content-Type", "application/json")
        .setBody("{\"error\":\"internal\",\"message\":\"boom\"}"));
    try (Mutagent client = client()) {
      assertPartial(client.traces().ingestOtlpTracesProtobuf(EXPORT_REQUEST));
      assertThrows(InternalServerException.class, () -> client.traces().ingestOtlpTracesProtobuf(EXPORT_REQUEST));
    }
    RecordedRequest first = taken();
    RecordedRequest retry = taken();
    assertSentAsProtobuf(first);
    assertSentAsProtobuf(retry);
    assertEquals(first.getHeader("Idempotency-Key"), retry.getHeader("Idempotency-Key"));
    assertEquals("1", retry.getHeader("X-Mutagent-Retry-Count"));
    assertSentAsProtobuf(taken());
    assertEquals(3, server.getRequestCount(), "the POST that got a 500 went out once");
  }

  @Test
  void theBytesAreCopiedWhenTheCallStarts() throws Exception {
    byte[] mine = EXPORT_REQUEST.clone();
    // Changes the caller's array after the call started and before its body is written.
    OkHttpClient http = new OkHttpClient.Builder().addInterceptor(chain -> {
      java.util.Arrays.fill(mine, (byte) 0);
      return chain.proceed(chain.request());
    }).build();
    server.enqueue(protobuf(new byte[0]));
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString())
        .httpClient(http).build()) {
      client.traces().ingestOtlpTracesProtobuf(mine);
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
    assertEquals(0, mine[0], "the interceptor ran");
    assertSentAsProtobuf(taken());
  }

  @Test
  void nullOrEmptyBytesAreRefusedBeforeAnythingIsSent() {
    try (Mutagent client = client()) {
      IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
          () -> client.traces().ingestOtlpTracesProtobuf(null));
      assertEquals("exportRequest must not be null: pass the request body, already encoded as "
          + "application/x-protobuf", none.getMessage());
      IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
          () -> client.traces().withRawResponse().ingestOtlpTracesProtobuf(new byte[0], RequestOptions.none()));
      assertEquals("exportRequest must not be empty: pass the request body, already encoded as "
          + "application/x-protobuf; an empty body carries nothing to send", empty.getMessage());
      IllegalArgumentException options = assertThrows(IllegalArgumentException.class,
          () -> client.traces().ingestOtlpTracesProtobuf(EXPORT_REQUEST, (RequestOptions) null));
      assertTrue(options.getMessage().startsWith("options must not be null"), options.getMessage());
    }
    try (AsyncMutagent client = asyncClient()) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> client.traces().ingestOtlpTracesProtobuf(new byte[0]).get(5, TimeUnit.SECONDS));
      assertInstanceOf(IllegalArgumentException.class, e.getCause());
      assertTrue(e.getCause().getMessage().startsWith("exportRequest must not be empty"), e.getCause().getMessage());
      ExecutionException raw = assertThrows(ExecutionException.class,
          () -> client.traces().withRawResponse().ingestOtlpTracesProtobuf(null).get(5, TimeUnit.SECONDS));
      assertTrue(raw.getCause().getMessage().startsWith("exportRequest must not be null"), raw.getCause().getMessage());
    }
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void theAsyncTwinSendsTheSameBytesAndDecodesTheAnswer() throws Exception {
    server.enqueue(protobuf(PARTIAL_ANSWER));
    server.enqueue(json("{\"partialSuccess\":{\"rejectedSpans\":\"2\",\"errorMessage\":\"two spans lack a traceId\"}}"));
    try (AsyncMutagent client = asyncClient()) {
      assertPartial(client.traces().ingestOtlpTracesProtobuf(EXPORT_REQUEST, RequestOptions.none()).get(5, TimeUnit.SECONDS));
      assertPartial(client.traces().ingestOtlpTraces(OtlpTraceRequest.builder().resourceSpans(List.of()).build())
          .get(5, TimeUnit.SECONDS));
    }
    assertSentAsProtobuf(taken());
  }

  @Test
  void theRawResponseViewsGiveStatusHeadersAndTheDecodedBody() throws Exception {
    server.enqueue(protobuf(PARTIAL_ANSWER).setHeader("X-Request-Id", "req_otlp_1"));
    server.enqueue(protobuf(PARTIAL_ANSWER).setHeader("X-Request-Id", "req_otlp_2"));
    try (Mutagent client = client()) {
      RawResponse<OtlpExportResponse> raw = client.traces().withRawResponse().ingestOtlpTracesProtobuf(EXPORT_REQUEST);
      assertEquals(200, raw.statusCode());
      assertEquals(Optional.of("req_otlp_1"), raw.requestId());
      assertEquals(Optional.of("application/x-protobuf"), raw.headers().first("Content-Type"));
      assertPartial(raw.body());
    }
    try (AsyncMutagent client = asyncClient()) {
      RawResponse<OtlpExportResponse> raw = client.traces().withRawResponse()
          .ingestOtlpTracesProtobuf(EXPORT_REQUEST, RequestOptions.none()).get(5, TimeUnit.SECONDS);
      assertEquals(Optional.of("req_otlp_2"), raw.requestId());
      assertPartial(raw.body());
    }
    assertSentAsProtobuf(taken());
    assertSentAsProtobuf(taken());
  }
}
