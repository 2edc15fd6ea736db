package io.mutagent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;

/** The body reader gives the chars OkHttp's own charStream() gives, with a small buffer. */
class Utf8BodyReaderTest {
  private static final MediaType JSON = MediaType.get("application/json");

  /** A body whose bytes arrive {@code chunk} at a time, as from a slow network. */
  private static ResponseBody body(byte[] bytes, int chunk, MediaType type, boolean knownLength) {
    Buffer all = new Buffer().write(bytes);
    Source trickle = new Source() {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        if (all.size() == 0) {
          return -1;
        }
        return all.read(sink, Math.min(byteCount, chunk));
      }

      @Override
      public Timeout timeout() {
        return Timeout.NONE;
      }

      @Override
      public void close() {}
    };
    return ResponseBody.create(Okio.buffer(trickle), type, knownLength ? bytes.length : -1);
  }

  private static String readAll(Reader reader, int charsPerRead) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[charsPerRead + 3];
    for (int n; (n = reader.read(buffer, 3, charsPerRead)) != -1; ) {
      assertTrue(n > 0, "a read gives chars or the end");
      text.append(buffer, 3, n);
    }
    assertEquals(-1, reader.read(buffer, 3, charsPerRead), "the end stays the end");
    return text.toString();
  }

  private static void assertReadsAsCharStream(byte[] bytes, MediaType type) throws IOException {
    String expected = readAll(body(bytes, bytes.length + 1, type, true).charStream(), 1024);
    for (int chunk : new int[] {1, 2, 3, 7, 1000, 5000}) {
      for (int charsPerRead : new int[] {1, 5, 1024}) {
        for (boolean knownLength : new boolean[] {true, false}) {
          try (Reader reader = Utf8BodyReader.of(body(bytes, chunk, type, knownLength))) {
            assertEquals(expected, readAll(reader, charsPerRead),
                "chunk " + chunk + ", chars per read " + charsPerRead + ", known length " + knownLength);
          }
        }
      }
    }
  }

  @Test
  void decodesMultiByteCharactersSplitAcrossReadsAndBuffers() throws IOException {
    StringBuilder text = new StringBuilder("{\"name\":\"");
    Random random = new Random(14);
    int[] samples = {'a', 'z', '"', 0xE9, 0x20AC, 0x4E2D, 0x1F600, 0x10348, 0x7FF, 0x800, 0xFFFD};
    while (text.length() < 5000) {
      text.appendCodePoint(samples[random.nextInt(samples.length)]);
    }
    assertReadsAsCharStream(text.append("\"}").toString().getBytes(StandardCharsets.UTF_8), JSON);
  }

  @Test
  void replacesMalformedBytesAsCharStreamDoes() throws IOException {
    List<byte[]> bodies = new ArrayList<>();
    bodies.add(new byte[] {'{', (byte) 0xC3, '}'}); // a lead byte without its continuation
    bodies.add(new byte[] {'"', (byte) 0x80, (byte) 0xBF, '"'}); // continuation bytes alone
    bodies.add(new byte[] {'"', (byte) 0xF0, (byte) 0x9F, (byte) 0x98}); // cut off at the end
    bodies.add(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}); // an encoded surrogate
    bodies.add(new byte[] {(byte) 0xFF});
    for (byte[] bytes : bodies) {
      assertReadsAsCharStream(bytes, JSON);
    }
  }

  @Test
  void skipsAUtf8ByteOrderMark() throws IOException {
    byte[] bytes = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
    assertReadsAsCharStream(bytes, JSON);
    assertEquals("{}", readAll(Utf8BodyReader.of(body(bytes, 1, JSON, true)), 10));
  }

  @Test
  void leavesOtherCharsetsAndByteOrderMarksToCharStream() throws IOException {
    byte[] latin1 = "{\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    MediaType latin1Json = MediaType.get("application/json; charset=ISO-8859-1");
    assertFalse(Utf8BodyReader.of(body(latin1, 1, latin1Json, true)) instanceof Utf8BodyReader);
    assertReadsAsCharStream(latin1, latin1Json);
    byte[] utf16 = "\ufeff{\"a\":\"\u20ac\"}".getBytes(StandardCharsets.UTF_16BE);
    assertFalse(Utf8BodyReader.of(body(utf16, 1, JSON, true)) instanceof Utf8BodyReader);
    assertReadsAsCharStream(utf16, JSON);
    assertReadsAsCharStream("\ufeff{}".getBytes(StandardCharsets.UTF_16LE), JSON);
  }

  @Test
  void readsEmptyAndTinyBodies() throws IOException {
    assertReadsAsCharStream(new byte[0], JSON);
    assertReadsAsCharStream(new byte[] {'1'}, JSON);
    assertReadsAsCharStream("\u00e9".getBytes(StandardCharsets.UTF_8), null);
  }
}
