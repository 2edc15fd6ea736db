package io.mutagent.internal.otlp;

import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.internal.otlp.ProtobufReader.MalformedProtobufException;
import io.mutagent.models.OtlpExportResponse;
import io.mutagent.models.OtlpPartialSuccess;

/**
 * Decodes the OTLP bridge's protobuf answer, an {@code ExportTraceServiceResponse} of the
 * OpenTelemetry protocol, into the same {@link OtlpExportResponse} the JSON answer gives:
 *
 * <pre>
 * message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
 * message ExportTracePartialSuccess  { int64 rejected_spans = 1; string error_message = 2; }
 * </pre>
 *
 * <p>As protobuf parsers do, fields it does not know (or with another wire type) are skipped, a
 * repeated {@code partial_success} is merged, and the last value of a scalar wins. A field absent
 * on the wire is absent in the model, as it is in OTLP/JSON, where proto3 leaves out default values.
 * Internal.
 */
public final class OtlpProtobuf {
  private static final int PARTIAL_SUCCESS = 1;
  private static final int REJECTED_SPANS = 1;
  private static final int ERROR_MESSAGE = 2;

  private OtlpProtobuf() {}

  /**
   * Decodes an encoded {@code ExportTraceServiceResponse}; empty bytes are the empty message.
   *
   * @throws MutagentInvalidDataException if the bytes are not valid protobuf
   */
  public static OtlpExportResponse readExportResponse(byte[] bytes) {
    try {
      ProtobufReader message = new ProtobufReader(bytes);
      boolean partial = false;
      Long rejectedSpans = null;
      String errorMessage = null;
      while (message.hasMore()) {
        int tag = message.readTag();
        if (tag == tag(PARTIAL_SUCCESS, ProtobufReader.LENGTH_DELIMITED)) {
          partial = true;
          ProtobufReader fields = message.readMessage();
          while (fields.hasMore()) {
            int field = fields.readTag();
            if (field == tag(REJECTED_SPANS, ProtobufReader.VARINT)) {
              rejectedSpans = fields.readVarint();
            } else if (field == tag(ERROR_MESSAGE, ProtobufReader.LENGTH_DELIMITED)) {
              errorMessage = fields.readString();
            } else {
              fields.skip(field);
            }
          }
        } else {
          message.skip(tag);
        }
      }
      // Built through the model's JSON reading, not its builder: what the server sent is read as
      // it came (the builder would refuse a negative count, which is the server's to send).
      com.google.gson.JsonObject response = new com.google.gson.JsonObject();
      if (partial) {
        com.google.gson.JsonObject success = new com.google.gson.JsonObject();
        if (rejectedSpans != null) {
          success.addProperty("rejectedSpans", rejectedSpans);
        }
        if (errorMessage != null) {
          success.addProperty("errorMessage", errorMessage);
        }
        response.add("partialSuccess", success);
      }
      return io.mutagent.internal.Json.gson().fromJson(response, OtlpExportResponse.class);
    } catch (MalformedProtobufException e) {
      throw new MutagentInvalidDataException(
          "the response is not the protobuf ExportTraceServiceResponse the OTLP specification describes: "
              + e.getMessage(), e);
    }
  }

  private static int tag(int fieldNumber, int wireType) {
    return fieldNumber << 3 | wireType;
  }
}
