package io.mutagent.internal.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UnknownFieldSet;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.models.OtlpExportResponse;
import io.mutagent.models.OtlpPartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written decoder of {@code ExportTraceServiceResponse}: on bytes encoded here field by
 * field as the protobuf wire format lays them out, and on bytes encoded by protobuf's own classes
 * for the OTLP messages.
 */
class OtlpProtobufTest {

  /** Builds protobuf bytes: tags, varints, length-delimited and fixed-width fields. */
  static final class Proto {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(long value) {
      while ((value & ~0x7FL) != 0) {
        out.write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
      return this;
    }

    Proto tag(int field, int wireType) {
      return varint((long) field << 3 | wireType);
    }

    Proto varintField(int field, long value) {
      return tag(field, 0).varint(value);
    }

    Proto bytesField(int field, byte[] value) {
      tag(field, 2).varint(value.length);
      out.write(value, 0, value.length);
      return this;
    }

    Proto stringField(int field, String value) {
      return bytesField(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto raw(int... bytes) {
      for (int b : bytes) {
        out.write(b);
      }
      return this;
    }

    Proto raw(byte[] bytes) {
      out.write(bytes, 0, bytes.length);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  static byte[] partialSuccess(long rejected, String message) {
    return new Proto().bytesField(1, new Proto().varintField(1, rejected).stringField(2, message).bytes()).bytes();
  }

  @Test
  void emptyBytesAreTheEmptyMessageEverySpanAccepted() {
    OtlpExportResponse response = OtlpProtobuf.readExportResponse(new byte[0]);
    assertEquals(Optional.empty(), response.partialSuccess());
  }

  @Test
  void readsRejectedSpansAndErrorMessage() {
    OtlpExportResponse response = OtlpProtobuf.readExportResponse(partialSuccess(3, "span 1: traceId is empty"));
    OtlpPartialSuccess partial = response.partialSuccess().orElseThrow();
    assertEquals(java.util.OptionalLong.of(3), partial.rejectedSpans());
    assertEquals(Optional.of("span 1: traceId is empty"), partial.errorMessage());
  }

  @Test
  void anInt64ThatNeedsManyVarintBytesIsReadWhole() {
    long big = (1L << 40) + 5;
    OtlpPartialSuccess partial = OtlpProtobuf.readExportResponse(partialSuccess(big, "ü ok")).partialSuccess().orElseThrow();
    assertEquals(java.util.OptionalLong.of(big), partial.rejectedSpans());
    assertEquals(Optional.of("ü ok"), partial.errorMessage(), "the string is UTF-8");
  }

  @Test
  void anEmptyPartialSuccessIsPresentWithItsFieldsAbsent() {
    // proto3 leaves out default values, so {rejected_spans: 0, error_message: ""} is 0A 00 on the wire.
    OtlpExportResponse response = OtlpProtobuf.readExportResponse(new byte[] {0x0A, 0x00});
    OtlpPartialSuccess partial = response.partialSuccess().orElseThrow();
    assertFalse(partial.rejectedSpans().isPresent());
    assertFalse(partial.errorMessage().isPresent());
  }

  @Test
  void theSpecsBinaryExampleIsTheSameMessageAsItsJsonExample() {
    byte[] example = "\n+\b\u0001\u0012'span eee19b7ec3c1b174: traceId is empty".getBytes(StandardCharsets.US_ASCII);
    OtlpPartialSuccess partial = OtlpProtobuf.readExportResponse(example).partialSuccess().orElseThrow();
    assertEquals(java.util.OptionalLong.of(1), partial.rejectedSpans());
    assertEquals(Optional.of("span eee19b7ec3c1b174: traceId is empty"), partial.errorMessage());
  }

  @Test
  void unknownFieldsOfEveryWireTypeAreSkippedAtBothLevels() {
    byte[] group = new Proto().tag(9, 3).varintField(1, 7).tag(10, 3).stringField(2, "inner").tag(10, 4)
        .tag(9, 4).bytes();
    byte[] inner = new Proto()
        .varintField(5, 300)                       // unknown varint
        .varintField(1, 2)
        .tag(6, 1).raw(1, 2, 3, 4, 5, 6, 7, 8)     // unknown fixed64
        .stringField(7, "added in a later OTLP")   // unknown length-delimited
        .tag(8, 5).raw(1, 2, 3, 4)                 // unknown fixed32
        .raw(group)                                // unknown group, with a group inside
        .stringField(2, "two rejected")
        .bytes();
    byte[] message = new Proto()
        .varintField(2, 1)
        .stringField(3, "unknown top-level field")
        .tag(4, 1).raw(0, 0, 0, 0, 0, 0, 0, 0)
        .tag(5, 5).raw(0, 0, 0, 0)
        .raw(group)
        .bytesField(1, inner)
        .varintField(6, 1)
        .bytes();
    OtlpPartialSuccess partial = OtlpProtobuf.readExportResponse(message).partialSuccess().orElseThrow();
    assertEquals(java.util.OptionalLong.of(2), partial.rejectedSpans());
    assertEquals(Optional.of("two rejected"), partial.errorMessage());
  }

  @Test
  void aKnownFieldNumberWithAnotherWireTypeIsSkippedAsProtobufParsersDo() {
    byte[] inner = new Proto().tag(1, 1).raw(9, 0, 0, 0, 0, 0, 0, 0)   // rejected_spans as fixed64
        .varintField(2, 4)                                            // error_message as varint
        .bytes();
    byte[] message = new Proto().varintField(1, 1).bytesField(1, inner).bytes(); // partial_success as varint first
    OtlpPartialSuccess partial = OtlpProtobuf.readExportResponse(message).partialSuccess().orElseThrow();
    assertFalse(partial.rejectedSpans().isPresent());
    assertFalse(partial.errorMessage().isPresent());
    assertFalse(OtlpProtobuf.readExportResponse(new Proto().varintField(1, 1).bytes()).partialSuccess().isPresent());
  }

  @Test
  void aRepeatedPartialSuccessIsMergedAndTheLastScalarWins() {
    byte[] message = new Proto()
        .bytesField(1, new Proto().varintField(1, 1).stringField(2, "first").bytes())
        .bytesField(1, new Proto().varintField(1, 4).bytes())
        .bytes();
    OtlpPartialSuccess partial = OtlpProtobuf.readExportResponse(message).partialSuccess().orElseThrow();
    assertEquals(java.util.OptionalLong.of(4), partial.rejectedSpans());
    assertEquals(Optional.of("first"), partial.errorMessage());
  }

  @ParameterizedTest(name = "rejected_spans {0}")
  @ValueSource(longs = {0, 1, 127, 128, 300, 1L << 40, Long.MAX_VALUE, -1, Long.MIN_VALUE})
  void agreesWithProtobufsOwnEncodingUnknownFieldsIncluded(long rejected) {
    UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
        .addField(3, UnknownFieldSet.Field.newBuilder().addVarint(150).addFixed32(7).addFixed64(-1L)
            .addLengthDelimited(com.google.protobuf.ByteString.copyFromUtf8("later")).build())
        .addField(4, UnknownFieldSet.Field.newBuilder().addGroup(UnknownFieldSet.newBuilder()
            .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build())
        .build();
    ExportTraceServiceResponse official = ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected)
            .setErrorMessage("rejected: ✓ UTF-8").setUnknownFields(unknown))
        .setUnknownFields(unknown)
        .build();
    OtlpPartialSuccess partial = OtlpProtobuf.readExportResponse(official.toByteArray()).partialSuccess().orElseThrow();
    // proto3 writes no default value: 0 is absent on the wire, and so in the model.
    assertEquals(rejected, partial.rejectedSpans().orElse(0L));
    assertEquals(rejected != 0, partial.rejectedSpans().isPresent());
    assertEquals(Optional.of("rejected: ✓ UTF-8"), partial.errorMessage());
  }

  @Test
  void anAbsentPartialSuccessIsAbsentAsProtobufSeesIt() {
    ExportTraceServiceResponse official = ExportTraceServiceResponse.getDefaultInstance();
    assertFalse(official.hasPartialSuccess());
    assertFalse(OtlpProtobuf.readExportResponse(official.toByteArray()).partialSuccess().isPresent());
    ExportTraceServiceResponse empty = ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(ExportTracePartialSuccess.getDefaultInstance()).build();
    assertTrue(OtlpProtobuf.readExportResponse(empty.toByteArray()).partialSuccess().isPresent());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a truncated tag                 | 80                            | truncated varint at byte 0",
      "a varint longer than 10 bytes   | 0A 0B 08 FF FF FF FF FF FF FF FF FF FF | varint longer than 10 bytes at byte 3",
      "a length past the end           | 0A 05 08 01                   | length 5 at byte 1 runs past the 2 bytes left",
      "a nested string past its message | 0A 03 12 05 41 42 43         | length 5 at byte 3 runs past the 1 byte left",
      "a fixed64 past the end          | 11 01 02 03                   | field of 8 bytes at byte 1 runs past the 3 bytes left",
      "field number 0                  | 00 01                         | invalid field number 0 at byte 0",
      "wire type 7                     | 0F                            | invalid wire type 7 at byte 0",
      "an end of group without start   | 0C                            | end of group 1 without its start",
      "a group that does not end       | 13 08 01                      | group 2 does not end",
      "a group that ends as another    | 13 08 01 24                   | group 2 ends as group 4"})
  void malformedBytesAreInvalidDataNamingWhatAndWhere(String what, String hex, String reason) {
    MutagentInvalidDataException e = assertThrows(MutagentInvalidDataException.class,
        () -> OtlpProtobuf.readExportResponse(hex(hex)));
    assertEquals("the response is not the protobuf ExportTraceServiceResponse the OTLP specification describes: "
        + reason, e.getMessage(), what);
  }

  @Test
  void groupsNestedTooDeeplyAreRefusedInsteadOfOverflowingTheStack() {
    Proto deep = new Proto();
    for (int i = 0; i < 200; i++) {
      deep.tag(2, 3);
    }
    MutagentInvalidDataException e = assertThrows(MutagentInvalidDataException.class,
        () -> OtlpProtobuf.readExportResponse(deep.bytes()));
    assertTrue(e.getMessage().endsWith("groups nested deeper than 100"), e.getMessage());
  }

  static byte[] hex(String text) {
    String[] parts = text.trim().split("\\s+");
    byte[] bytes = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return bytes;
  }
}
