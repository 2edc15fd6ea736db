package io.mutagent.internal;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.ByteString;

/**
 * A request body of bytes the caller already encoded (an operation marked
 * {@code x-mutagent-binary-body} in the spec, such as OTLP protobuf), sent as they are with their
 * media type. One-shot like the SDK's JSON bodies: OkHttp never replays it by itself, so only the
 * SDK's retry rule decides whether a write goes out twice. Internal: called by generated code.
 */
public final class BinaryBody extends RequestBody {
  private final ByteString bytes;
  private final MediaType mediaType;

  private BinaryBody(ByteString bytes, MediaType mediaType) {
    this.bytes = bytes;
    this.mediaType = mediaType;
  }

  /**
   * Checks the bytes and returns a body of a copy of them, so that changing the array after the
   * call started changes nothing that is sent.
   *
   * @param name the parameter's name, for the message
   * @param bytes the encoded body
   * @param mediaType its media type, e.g. {@code application/x-protobuf}
   * @throws IllegalArgumentException if bytes is null or empty
   */
  public static BinaryBody of(String name, byte[] bytes, String mediaType) {
    if (bytes == null) {
      throw new IllegalArgumentException(name + " must not be null: pass the request body, already encoded as "
          + mediaType);
    }
    if (bytes.length == 0) {
      throw new IllegalArgumentException(name + " must not be empty: pass the request body, already encoded as "
          + mediaType + "; an empty body carries nothing to send");
    }
    return new BinaryBody(ByteString.of(bytes), MediaType.get(mediaType));
  }

  @Override
  public MediaType contentType() {
    return mediaType;
  }

  @Override
  public long contentLength() {
    return bytes.size();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    sink.write(bytes);
  }

  @Override
  public boolean isOneShot() {
    return true;
  }

  /** Describes the body by its media type and size, never its content. */
  @Override
  public String toString() {
    return "BinaryBody{" + mediaType + ", " + bytes.size() + " bytes}";
  }
}
