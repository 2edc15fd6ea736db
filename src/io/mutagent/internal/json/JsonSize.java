package io.mutagent.internal.json;

import io.mutagent.internal.Json;
import java.io.Writer;
import java.lang.reflect.Type;

/**
 * The size in UTF-8 bytes of a value written as JSON by the SDK's Gson, counted as it is written:
 * no string or byte array is built. Exact, and as costly as writing the JSON: see
 * {@link JsonSizeEstimate} for a bound that costs a walk over the value. Internal.
 */
public final class JsonSize extends Writer {
  private long bytes;
  private boolean highSurrogate;

  private JsonSize() {}

  /**
   * Returns how many UTF-8 bytes {@code value} takes as JSON.
   *
   * @throws RuntimeException what Gson throws for a value it cannot write
   */
  public static long of(Object value, Type type) {
    JsonSize counter = new JsonSize();
    Json.gson().toJson(value, type, counter);
    return counter.bytes;
  }

  @Override
  public void write(int c) {
    count((char) c);
  }

  @Override
  public void write(char[] chars, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      count(chars[i]);
    }
  }

  @Override
  public void write(String text, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      count(text.charAt(i));
    }
  }

  @Override
  public Writer append(CharSequence text, int start, int end) {
    for (int i = start; i < end; i++) {
      count(text.charAt(i));
    }
    return this;
  }

  /** Counts one UTF-16 unit: a surrogate pair is 4 bytes in UTF-8, a lone surrogate 3 (a replacement). */
  private void count(char c) {
    if (highSurrogate && Character.isLowSurrogate(c)) {
      bytes += 1; // the pair's 4 bytes: 3 were counted for its high half
      highSurrogate = false;
      return;
    }
    highSurrogate = Character.isHighSurrogate(c);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
