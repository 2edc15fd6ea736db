package io.mutagent.internal.otlp;

import java.nio.charset.StandardCharsets;

/**
 * Reads the protobuf wire format, just enough for the answers of the OTLP bridge: tags, varints,
 * length-delimited fields (strings and nested messages), and skipping any other field by its wire
 * type, so that fields added to the protocol later are passed over. Written for this SDK so that
 * it needs no protobuf library. Internal.
 */
final class ProtobufReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int START_GROUP = 3;
  static final int END_GROUP = 4;
  static final int FIXED32 = 5;

  /** How deep groups may nest, as protobuf's own parsers limit it. */
  private static final int MAX_DEPTH = 100;

  private final byte[] data;
  private final int end;
  private int position;

  ProtobufReader(byte[] data) {
    this(data, 0, data.length);
  }

  private ProtobufReader(byte[] data, int start, int end) {
    this.data = data;
    this.position = start;
    this.end = end;
  }

  /** Returns true while fields remain. */
  boolean hasMore() {
    return position < end;
  }

  /** Returns the field number of a tag. */
  static int fieldNumber(int tag) {
    return tag >>> 3;
  }

  /** Returns the wire type of a tag. */
  static int wireType(int tag) {
    return tag & 7;
  }

  /**
   * Reads the next field's tag: its field number and wire type.
   *
   * @throws MalformedProtobufException if the tag is truncated or names field 0 or a wire type that
   *     does not exist
   */
  int readTag() throws MalformedProtobufException {
    int at = position;
    long tag = readVarint();
    if (tag >>> 3 == 0 || tag >>> 3 > 0x1FFFFFFFL) {
      throw new MalformedProtobufException("invalid field number " + (tag >>> 3) + " at byte " + at);
    }
    if ((tag & 7) > FIXED32) {
      throw new MalformedProtobufException("invalid wire type " + (tag & 7) + " at byte " + at);
    }
    return (int) tag;
  }

  /**
   * Reads a varint (at most 10 bytes), as protobuf's int64 and uint64 are read.
   *
   * @throws MalformedProtobufException if it is truncated or longer than 10 bytes
   */
  long readVarint() throws MalformedProtobufException {
    int at = position;
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= end) {
        throw new MalformedProtobufException("truncated varint at byte " + at);
      }
      byte b = data[position++];
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new MalformedProtobufException("varint longer than 10 bytes at byte " + at);
  }

  /**
   * Reads a length-delimited field as a nested message.
   *
   * @throws MalformedProtobufException if the length runs past the data
   */
  ProtobufReader readMessage() throws MalformedProtobufException {
    int length = readLength();
    ProtobufReader nested = new ProtobufReader(data, position, position + length);
    position += length;
    return nested;
  }

  /**
   * Reads a length-delimited field as a UTF-8 string (malformed UTF-8 becomes U+FFFD).
   *
   * @throws MalformedProtobufException if the length runs past the data
   */
  String readString() throws MalformedProtobufException {
    int length = readLength();
    String value = new String(data, position, length, StandardCharsets.UTF_8);
    position += length;
    return value;
  }

  /**
   * Skips the field whose tag was just read, by its wire type; a group is skipped up to its
   * matching end.
   *
   * @throws MalformedProtobufException if the field runs past the data, or a group does not end
   *     where it should
   */
  void skip(int tag) throws MalformedProtobufException {
    skip(tag, 0);
  }

  private void skip(int tag, int depth) throws MalformedProtobufException {
    switch (wireType(tag)) {
      case VARINT:
        readVarint();
        break;
      case FIXED64:
        advance(8);
        break;
      case LENGTH_DELIMITED:
        advance(readLength());
        break;
      case FIXED32:
        advance(4);
        break;
      case START_GROUP:
        if (depth >= MAX_DEPTH) {
          throw new MalformedProtobufException("groups nested deeper than " + MAX_DEPTH);
        }
        while (true) {
          if (!hasMore()) {
            throw new MalformedProtobufException("group " + fieldNumber(tag) + " does not end");
          }
          int inner = readTag();
          if (wireType(inner) == END_GROUP) {
            if (fieldNumber(inner) != fieldNumber(tag)) {
              throw new MalformedProtobufException("group " + fieldNumber(tag) + " ends as group "
                  + fieldNumber(inner));
            }
            return;
          }
          skip(inner, depth + 1);
        }
      default: // END_GROUP outside its group
        throw new MalformedProtobufException("end of group " + fieldNumber(tag) + " without its start");
    }
  }

  private int readLength() throws MalformedProtobufException {
    int at = position;
    long length = readVarint();
    if (length < 0 || length > end - position) {
      throw new MalformedProtobufException("length " + length + " at byte " + at + " runs past the "
          + left() + " left");
    }
    return (int) length;
  }

  private void advance(int count) throws MalformedProtobufException {
    if (count > end - position) {
      throw new MalformedProtobufException("field of " + count + " bytes at byte " + position
          + " runs past the " + left() + " left");
    }
    position += count;
  }

  private String left() {
    int left = end - position;
    return left == 1 ? "1 byte" : left + " bytes";
  }

  /** The data is not valid protobuf; the message says what and where. Internal. */
  static final class MalformedProtobufException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedProtobufException(String message) {
      super(message);
    }
  }
}
