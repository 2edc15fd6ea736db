package io.mutagent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.mutagent.internal.Json;
import io.mutagent.internal.otlp.OtlpProtobuf;
import io.mutagent.models.OtlpExportResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.File;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OTLP bridge's examples in the spec: each binary (protobuf) example is the same message as
 * the JSON example beside it, as OpenTelemetry's own generated protobuf classes read it; and the
 * SDK's decoder reads the binary answer as the JSON converter reads the JSON one.
 */
class OtlpExamplesTest {
  static final String SPEC = System.getProperty("mutagent.spec", "openapi/mutagent.yaml");
  static Operation operation;

  @BeforeAll
  static void load() {
    ParseOptions options = new ParseOptions();
    options.setResolveFully(true);
    operation = new OpenAPIV3Parser()
        .read(SPEC, null, options)
        .getPaths().get("/api/traces/otlp").getPost();
  }

  static JsonObject json(Content content) throws Exception {
    Object example = content.get("application/json").getExample();
    return JsonParser.parseString(io.swagger.v3.core.util.Json.mapper().writeValueAsString(example)).getAsJsonObject();
  }

  /**
   * A binary example, read from the YAML as written (the parser would turn it into bytes in the
   * platform's charset): one character per byte.
   */
  static byte[] binary(String where) throws Exception {
    JsonNode example = io.swagger.v3.core.util.Yaml.mapper().readTree(new File(SPEC))
        .at("/paths/~1api~1traces~1otlp/post/" + where + "/content/application~1x-protobuf/example");
    return example.textValue().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void theBinaryAnswerIsTheJsonAnswerInProtobuf() throws Exception {
    Content content = operation.getResponses().get("200").getContent();
    byte[] binary = binary("responses/200");
    JsonObject partial = json(content).getAsJsonObject("partialSuccess");
    ExportTraceServiceResponse expected = ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(ExportTracePartialSuccess.newBuilder()
            .setRejectedSpans(partial.get("rejectedSpans").getAsLong())
            .setErrorMessage(partial.get("errorMessage").getAsString()))
        .build();
    assertEquals(expected, ExportTraceServiceResponse.parseFrom(binary));
    assertEquals(expected.toByteString(), ByteString.copyFrom(binary), "the canonical encoding");
  }

  @Test
  void theSdkReadsTheBinaryAnswerAsItReadsTheJsonOne() throws Exception {
    Content content = operation.getResponses().get("200").getContent();
    OtlpExportResponse fromJson = Json.gson().fromJson(json(content), OtlpExportResponse.class);
    assertEquals(fromJson, OtlpProtobuf.readExportResponse(binary("responses/200")));
  }

  @Test
  void theBinaryRequestIsTheJsonRequestInProtobuf() throws Exception {
    Content content = operation.getRequestBody().getContent();
    ExportTraceServiceRequest.Builder expected = ExportTraceServiceRequest.newBuilder();
    for (JsonElement resourceSpans : json(content).getAsJsonArray("resourceSpans")) {
      expected.addResourceSpans(resourceSpans(resourceSpans.getAsJsonObject()));
    }
    assertEquals(expected.build(), ExportTraceServiceRequest.parseFrom(binary("requestBody")));
  }

  /** OTLP/JSON to protobuf for the fields the example uses; ids are hex in OTLP/JSON, bytes in protobuf. */
  static ResourceSpans resourceSpans(JsonObject json) {
    Resource.Builder resource = Resource.newBuilder();
    for (JsonElement attribute : json.getAsJsonObject("resource").getAsJsonArray("attributes")) {
      JsonObject kv = attribute.getAsJsonObject();
      resource.addAttributes(KeyValue.newBuilder().setKey(kv.get("key").getAsString())
          .setValue(AnyValue.newBuilder().setStringValue(
              kv.getAsJsonObject("value").get("stringValue").getAsString())));
    }
    ResourceSpans.Builder out = ResourceSpans.newBuilder().setResource(resource);
    for (JsonElement element : json.getAsJsonArray("scopeSpans")) {
      JsonObject scopeSpans = element.getAsJsonObject();
      ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder()
          .setName(scopeSpans.getAsJsonObject("scope").get("name").getAsString()));
      JsonArray spans = scopeSpans.getAsJsonArray("spans");
      for (JsonElement spanElement : spans) {
        JsonObject span = spanElement.getAsJsonObject();
        scope.addSpans(Span.newBuilder()
            .setTraceId(ByteString.fromHex(span.get("traceId").getAsString()))
            .setSpanId(ByteString.fromHex(span.get("spanId").getAsString()))
            .setName(span.get("name").getAsString())
            .setKindValue(span.get("kind").getAsInt())
            .setStartTimeUnixNano(Long.parseUnsignedLong(span.get("startTimeUnixNano").getAsString()))
            .setEndTimeUnixNano(Long.parseUnsignedLong(span.get("endTimeUnixNano").getAsString())));
      }
      out.addScopeSpans(scope);
    }
    return out.build();
  }
}
