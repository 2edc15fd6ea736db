package io.mutagent.internal;

import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import com.google.gson.stream.MalformedJsonException;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.internal.json.ResponseJsonReader;
import io.mutagent.internal.json.ValueReader;
import io.mutagent.internal.text.KnownSecrets;
import java.io.IOException;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import okio.Buffer;
import retrofit2.Converter;
import retrofit2.Retrofit;

/**
 * Retrofit converters over our Gson. Unlike Retrofit's Gson converter, a body that is not the JSON
 * the spec describes becomes a {@link MutagentInvalidDataException}, kept apart from network
 * failures (which stay {@link IOException}s): one that is not JSON, not the shape of the response
 * type at its top, or that has a key twice in any of its objects. A value inside that does not fit
 * its type fails only its getter ({@link ValueReader}). Internal.
 */
public final class JsonConverterFactory extends Converter.Factory {
  private static final MediaType JSON = MediaType.get("application/json; charset=UTF-8");

  private final Gson gson;
  private final KnownSecrets secrets;

  /**
   * Creates the factory over the given Gson.
   *
   * @param gson the Gson that reads and writes bodies
   * @param secrets the client's credentials, masked in a message that names a path in a body
   */
  public JsonConverterFactory(Gson gson, KnownSecrets secrets) {
    this.gson = gson;
    this.secrets = secrets;
  }

  @Override
  public Converter<ResponseBody, ?> responseBodyConverter(
      Type type, Annotation[] annotations, Retrofit retrofit) {
    ValueReader reader = ValueReader.of(gson, type);
    return body -> read(body, reader, type);
  }

  @Override
  public Converter<?, RequestBody> requestBodyConverter(
      Type type, Annotation[] parameterAnnotations, Annotation[] methodAnnotations, Retrofit retrofit) {
    @SuppressWarnings("unchecked")
    TypeAdapter<Object> adapter = (TypeAdapter<Object>) gson.getAdapter(TypeToken.get(type));
    return value -> {
      Buffer buffer = new Buffer();
      JsonWriter json = gson.newJsonWriter(new Utf8BufferWriter(buffer));
      adapter.write(json, value);
      json.close();
      return new OneShotJsonBody(buffer.readByteString());
    };
  }

  /**
   * Writes the JSON text into the body's buffer as UTF-8, with no buffer of its own (an
   * OutputStreamWriter allocates 8 KB per body). JSON text never splits a surrogate pair across
   * writes, so each write encodes whole characters.
   */
  private static final class Utf8BufferWriter extends Writer {
    private final Buffer buffer;

    Utf8BufferWriter(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int c) {
      buffer.writeUtf8CodePoint(c);
    }

    @Override
    public void write(String text, int offset, int length) {
      buffer.writeUtf8(text, offset, offset + length);
    }

    @Override
    public void write(char[] text, int offset, int length) {
      buffer.writeUtf8(new String(text, offset, length));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /**
   * A JSON body that OkHttp must not send twice: once it has started writing it, a failed
   * connection is reported instead of silently retried, because a POST may already have acted.
   * (A stale pooled connection found before sending is still retried.)
   */
  private static final class OneShotJsonBody extends RequestBody {
    private final okio.ByteString bytes;

    OneShotJsonBody(okio.ByteString bytes) {
      this.bytes = bytes;
    }

    @Override
    public MediaType contentType() {
      return JSON;
    }

    @Override
    public long contentLength() {
      return bytes.size();
    }

    @Override
    public void writeTo(okio.BufferedSink sink) throws IOException {
      sink.write(bytes);
    }

    @Override
    public boolean isOneShot() {
      return true;
    }
  }

  private Object read(ResponseBody body, ValueReader valueReader, Type type) throws IOException {
    try (ResponseBody closing = body) {
      JsonReader reader = new ResponseJsonReader(Utf8BodyReader.of(closing), secrets.all());
      try {
        if (reader.peek() == JsonToken.NULL) {
          throw new MutagentInvalidDataException("the response body is JSON null, not the "
              + simpleName(type) + " the API spec describes");
        }
        Object value = valueReader.readBody(reader, simpleName(type));
        if (reader.peek() != JsonToken.END_DOCUMENT) {
          throw new MutagentInvalidDataException(
              "the response has data after the JSON " + simpleName(type) + " ends (at " + reader.getPath() + ")");
        }
        return value;
      } catch (MutagentInvalidDataException e) {
        throw e;
      } catch (IOException e) {
        if (corruptEncoding(e)) {
          throw corrupt(e);
        }
        if (e instanceof MalformedJsonException || e instanceof java.io.EOFException) {
          throw new MutagentInvalidDataException("the response body is not valid JSON" + where(reader)
              + "; the API spec describes a " + simpleName(type), e);
        }
        throw e; // the connection failed while the body was read
      } catch (RuntimeException e) {
        // A type no generated model uses, read by its own Gson adapter, may still throw here.
        throw new MutagentInvalidDataException("the response is not the JSON " + simpleName(type)
            + " the API spec describes: a value has the wrong JSON type" + where(reader), e);
      }
    }
  }

  /** Returns the failure for a body whose gzip encoding is damaged. */
  public static MutagentInvalidDataException corrupt(IOException e) {
    return new MutagentInvalidDataException("the response body's gzip encoding is corrupt, so it could "
        + "not be read; the server or a proxy sent a damaged body", e);
  }

  private static String where(JsonReader reader) {
    String path = reader.getPath();
    return " (at " + path + ")";
  }

  /**
   * Whether a failure came from decoding the body's gzip encoding, not from the network: the
   * inflater's own exception, or one thrown by okio's gzip code itself (a checksum or size that
   * does not match). Only the frame that threw counts: a socket timeout or reset while a gzipped
   * body is read has okio's gzip classes further down its stack, and is a network failure.
   * (Retrofit rethrows a body's read failure in place of the converter's exception, so the call
   * runner asks this too.)
   */
  public static boolean corruptEncoding(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.zip.DataFormatException || t instanceof java.util.zip.ZipException) {
        return true;
      }
      StackTraceElement[] frames = t.getStackTrace();
      if (frames.length > 0) {
        String thrower = frames[0].getClassName();
        if (thrower.equals("okio.GzipSource") || thrower.equals("okio.InflaterSource")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String simpleName(Type type) {
    return type instanceof Class ? ((Class<?>) type).getSimpleName() : type.getTypeName();
  }
}
