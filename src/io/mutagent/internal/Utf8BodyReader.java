package io.mutagent.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * Reads a UTF-8 response body as chars for the JSON parser, through a byte buffer of at most
 * {@value #MAX_BUFFER} bytes (smaller for a shorter body) instead of the 8 KB one that
 * {@link ResponseBody#charStream()} allocates on every call. Decodes as that reader does: a UTF-8
 * byte-order mark is skipped, and malformed bytes read as U+FFFD. Internal.
 */
final class Utf8BodyReader extends Reader {
  /** JSON asks for at most 1024 chars at a time; 1024 bytes never decode to more. */
  static final int MAX_BUFFER = 1024;
  private static final ByteString UTF8_BOM = ByteString.decodeHex("efbbbf");

  private final BufferedSource source;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);
  /** Bytes read from the body and not yet decoded, between position and limit. */
  private final ByteBuffer bytes;
  /** The caller's char array, wrapped once (JSON reads into the same array every time). */
  private @Nullable CharBuffer chars;
  private boolean endOfInput;
  private boolean flushed;
  /** A char decoded beyond the one the caller asked for (the low half of a pair, say), or -1. */
  private int leftover = -1;

  private Utf8BodyReader(BufferedSource source, long contentLength) {
    this.source = source;
    int size = contentLength > 0 && contentLength < MAX_BUFFER ? Math.max(16, (int) contentLength) : MAX_BUFFER;
    this.bytes = ByteBuffer.allocate(size);
    bytes.flip(); // empty
  }

  /**
   * Returns a reader of the body's chars: this one for UTF-8 (the JSON default, and what the API
   * sends), or the body's own {@link ResponseBody#charStream()} for another charset or a UTF-16/32
   * byte-order mark.
   */
  static Reader of(ResponseBody body) throws IOException {
    MediaType type = body.contentType();
    if (type != null && type.charset() != null && !StandardCharsets.UTF_8.equals(type.charset())) {
      return body.charStream();
    }
    BufferedSource source = body.source();
    if (source.rangeEquals(0, UTF8_BOM)) {
      source.skip(UTF8_BOM.size());
    } else if (source.request(2)) {
      byte first = source.getBuffer().getByte(0);
      byte second = source.getBuffer().getByte(1);
      if (first == (byte) 0xFE && second == (byte) 0xFF || first == (byte) 0xFF && second == (byte) 0xFE
          || first == 0 && second == 0) {
        return body.charStream(); // UTF-16 or UTF-32, by its byte-order mark
      }
    }
    return new Utf8BodyReader(source, body.contentLength());
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length == 0) {
      return 0;
    }
    if (leftover >= 0) {
      buffer[offset] = (char) leftover;
      leftover = -1;
      return 1;
    }
    if (length == 1) {
      return readOne(buffer, offset);
    }
    if (flushed) {
      return -1;
    }
    CharBuffer out = chars;
    if (out == null || out.array() != buffer) {
      out = CharBuffer.wrap(buffer);
      chars = out;
    }
    out.limit(offset + length).position(offset);
    while (true) {
      CoderResult result = decoder.decode(bytes, out, endOfInput);
      if (result.isOverflow() || out.position() > offset) {
        break; // full, or some chars to give now rather than wait for more bytes
      }
      if (endOfInput) {
        decoder.flush(out);
        flushed = true;
        break;
      }
      fill();
    }
    int read = out.position() - offset;
    return read == 0 && flushed ? -1 : read;
  }

  /** Reads one char through a pair buffer (a character outside the BMP is two), keeping the second. */
  private int readOne(char[] buffer, int offset) throws IOException {
    char[] pair = new char[2];
    int read = read(pair, 0, 2);
    if (read <= 0) {
      return read;
    }
    buffer[offset] = pair[0];
    if (read == 2) {
      leftover = pair[1];
    }
    return 1;
  }

  /** Reads more bytes after those not yet decoded (an incomplete UTF-8 sequence at most). */
  private void fill() throws IOException {
    bytes.compact();
    int read = source.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    if (read < 0) {
      endOfInput = true;
    } else {
      bytes.position(bytes.position() + read);
    }
    bytes.flip();
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
