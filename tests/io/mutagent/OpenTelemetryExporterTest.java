package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.models.OtlpExportResponse;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry Java's own OTLP/HTTP span exporter, set up as the README's "OpenTelemetry"
 * section says (builder, and environment variables), sends to the bridge's path with the
 * {@code x-api-key} header and a protobuf body; and those bytes go through
 * {@code ingestOtlpTracesProtobuf} unchanged.
 */
class OpenTelemetryExporterTest {
  static final String KEY = "mt_otel_test_key";
  /** The bridge's answer: partial_success { rejected_spans: 1, error_message: "one span rejected" }. */
  static final byte[] ANSWER = concat(new byte[] {0x0A, 21, 0x08, 0x01, 0x12, 17},
      "one span rejected".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static MockResponse answer() {
    return new MockResponse().setHeader("Content-Type", "application/x-protobuf").setBody(new Buffer().write(ANSWER));
  }

  /** Checks what the exporter sent, and returns the body. */
  byte[] exported(String spanName) throws Exception {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertNotNull(request, "the exporter sent nothing");
    assertEquals("POST", request.getMethod());
    assertEquals("/api/traces/otlp", request.getPath());
    assertEquals(KEY, request.getHeader("x-api-key"));
    assertEquals("application/x-protobuf", request.getHeader("Content-Type"));
    byte[] body = request.getBody().readByteArray();
    ExportTraceServiceRequest sent = ExportTraceServiceRequest.parseFrom(body);
    assertEquals(spanName, sent.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName());
    return body;
  }

  @Test
  void theExporterBuiltAsTheReadmeShowsSendsProtobufWithTheKey() throws Exception {
    server.enqueue(answer());
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(server.url("/api/traces/otlp").toString())
        .addHeader("x-api-key", KEY)
        .build();
    SdkTracerProvider tracing = SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
        .build();
    try {
      tracing.get("support-bot").spanBuilder("chat gpt-4o-mini").startSpan().end();
      assertTrue(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "the export succeeded");
    } finally {
      tracing.shutdown().join(10, TimeUnit.SECONDS);
    }
    byte[] body = exported("chat gpt-4o-mini");

    // Bytes you already have, such as these, go through the SDK as they are.
    server.enqueue(answer());
    try (Mutagent client = TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString()).build()) {
      OtlpExportResponse response = client.traces().ingestOtlpTracesProtobuf(body);
      assertEquals(1L, response.partialSuccess().orElseThrow().rejectedSpans().orElseThrow());
    }
    RecordedRequest forwarded = server.takeRequest(10, TimeUnit.SECONDS);
    assertEquals("/api/traces/otlp", forwarded.getPath());
    assertArrayEquals(body, forwarded.getBody().readByteArray());
  }

  /** Sets up OpenTelemetry from OTEL_* variables as autoconfigure reads them, exports one span, and says whether it succeeded. */
  static boolean exportWith(Map<String, String> environment, String spanName) {
    // Autoconfigure reads OTEL_FOO_BAR from the environment as the property otel.foo.bar.
    Map<String, String> properties = new LinkedHashMap<>();
    environment.forEach((name, value) -> properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value));
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> properties)
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
    try {
      sdk.getTracer("support-bot").spanBuilder(spanName).startSpan().end();
      return sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess();
    } finally {
      sdk.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theEnvironmentVariablesOfTheReadmeSetUpTheSameExport() throws Exception {
    server.enqueue(answer());
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", server.url("/api/traces/otlp").toString());
    environment.put("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
    environment.put("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-api-key=" + KEY);
    environment.put("OTEL_METRICS_EXPORTER", "none");
    environment.put("OTEL_LOGS_EXPORTER", "none");
    assertTrue(exportWith(environment, "handle-ticket"), "the export succeeded");
    exported("handle-ticket");
    assertEquals(1, server.getRequestCount(), "traces only: no metrics or logs export");
  }

  @Test
  void theGenericEndpointVariableWouldAppendV1TracesToThePath() throws Exception {
    server.enqueue(answer());
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", server.url("/api/traces/otlp").toString());
    environment.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    environment.put("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=" + KEY);
    environment.put("OTEL_METRICS_EXPORTER", "none");
    environment.put("OTEL_LOGS_EXPORTER", "none");
    exportWith(environment, "handle-ticket");
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertEquals("/api/traces/otlp/v1/traces", request.getPath(), "not the bridge's path");
  }
}
