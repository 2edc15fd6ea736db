package io.mutagent.internal.http;

import io.mutagent.LogLevel;
import io.mutagent.internal.text.SafeText;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;

/**
 * Logs each HTTP attempt through a {@link System.Logger}; an OkHttp application interceptor.
 * Internal.
 *
 * <p>At {@link LogLevel#INFO}, one line when an attempt ends:
 * {@code GET http://host/api/prompt (attempt 1) -> 200 in 12 ms}, or
 * {@code ... -> failed after 3 ms: java.net.SocketException: Connection reset}. The attempt number
 * is one more than the {@code x-mutagent-retry-count} request header (absent: attempt 1), so this
 * interceptor must run after (inside) the one that retries. At {@link LogLevel#DEBUG}, also the
 * request's and the response's headers and bodies at {@code DEBUG}, each as one line.
 *
 * <p>Nothing secret is logged: the {@code x-api-key}, {@code authorization},
 * {@code proxy-authorization}, {@code cookie} and {@code set-cookie} headers read
 * {@code [redacted]}; every configured credential is masked wherever it appears (URL, headers,
 * bodies, exception messages); the values of secret JSON properties read {@code "[redacted]"}
 * at any depth. All server text goes through {@link SafeText}, so control chars are escaped and
 * each message is one line. Bodies are cut at {@value #MAX_BODY_BYTES} bytes; binary ones show as
 * {@code <N bytes, content-type>}. The response body is read with {@link Response#peekBody}, so
 * the caller still reads all of it. A request body is copied into memory for the log only when
 * its length is known and at most {@value #MAX_REQUEST_BODY_COPY} bytes (the SDK's request
 * bodies are bytes in memory, so writing one twice is safe).
 *
 * <p>With level OFF, or a logger that is not loggable at INFO, it only calls
 * {@code chain.proceed}.
 */
public final class LoggingInterceptor implements Interceptor {
  /** The most bytes of a body that are logged. */
  public static final int MAX_BODY_BYTES = 4096;
  /** The largest request body that is copied to be logged; a larger one shows only its size. */
  public static final int MAX_REQUEST_BODY_COPY = 64 * 1024;

  private static final Set<String> SECRET_HEADERS =
      Set.of("x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie");
  private static final int MAX_URL_CHARS = 8192;
  private static final int MAX_HEADER_CHARS = 1024;
  private static final int MAX_MESSAGE_CHARS = 1024;
  private static final int MAX_BODY_CHARS = 2 * MAX_BODY_BYTES;

  private final Logger logger;
  private final LogLevel level;
  private final Supplier<Collection<String>> credentials;
  private final Set<String> secretJsonProperties;

  /**
   * Creates the interceptor.
   *
   * @param logger where lines go; the SDK passes {@code System.getLogger("io.mutagent")}
   * @param level how much to log
   * @param credentials the credentials to mask (API key, bearer token), read once per request so
   *     a rotated one is masked too; it may return null or contain nulls
   * @param secretJsonProperties JSON property names whose values are secret (from the spec's
   *     {@code x-mutagent-secret})
   * @throws NullPointerException if an argument is null
   */
  public LoggingInterceptor(Logger logger, LogLevel level, Supplier<Collection<String>> credentials,
      Set<String> secretJsonProperties) {
    this.logger = Objects.requireNonNull(logger, "logger");
    this.level = Objects.requireNonNull(level, "level");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.secretJsonProperties = Set.copyOf(secretJsonProperties);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    boolean info = level != LogLevel.OFF && logger.isLoggable(Level.INFO);
    if (!info) {
      return chain.proceed(request);
    }
    boolean debug = level == LogLevel.DEBUG && logger.isLoggable(Level.DEBUG);
    Collection<String> secrets = secrets(request.url());
    String call = request.method() + " " + SafeText.of(request.url().toString(), MAX_URL_CHARS, secrets)
        + " (attempt " + attempt(request) + ")";
    if (debug) {
      logger.log(Level.DEBUG, call + " request headers: " + headers(withBodyHeaders(request), secrets));
      if (request.body() != null) {
        logger.log(Level.DEBUG, call + " request body: " + body(() -> requestBody(request, secrets), secrets));
      }
    }
    long start = System.nanoTime();
    Response response;
    try {
      response = chain.proceed(request);
    } catch (IOException | RuntimeException e) {
      logger.log(Level.INFO, call + " -> failed after " + millisSince(start) + " ms: "
          + describe(e, secrets));
      throw e;
    }
    logger.log(Level.INFO, call + " -> " + response.code() + " in " + millisSince(start) + " ms");
    if (debug) {
      logger.log(Level.DEBUG, call + " response headers: " + headers(response.headers(), secrets));
      logger.log(Level.DEBUG, call + " response body: " + body(() -> responseBody(response, secrets), secrets));
    }
    return response;
  }

  /** The configured credentials, plus a password in the URL. */
  private Collection<String> secrets(HttpUrl url) {
    Collection<String> configured = credentials.get();
    List<String> secrets = new ArrayList<>(configured == null ? List.of() : configured);
    if (!url.encodedPassword().isEmpty()) {
      secrets.add(url.encodedPassword());
      secrets.add(url.password());
    }
    return secrets;
  }

  /** The exception's class and its message, made safe. */
  private static String describe(Exception e, Collection<String> secrets) {
    return e.getClass().getName()
        + (e.getMessage() == null ? "" : ": " + SafeText.of(e.getMessage(), MAX_MESSAGE_CHARS, secrets));
  }

  /** Reads a body for the log; a failure to read it is logged instead and never fails the call. */
  private static String body(BodyReader reader, Collection<String> secrets) {
    try {
      return reader.read();
    } catch (IOException | RuntimeException e) {
      return "(not shown: reading it failed with " + describe(e, secrets) + ")";
    }
  }

  private interface BodyReader {
    String read() throws IOException;
  }

  private static String attempt(Request request) {
    String retries = request.header(CallHeaders.RETRY_COUNT);
    if (retries == null) {
      return "1";
    }
    try {
      int n = Integer.parseInt(retries.trim());
      if (n >= 0 && n < Integer.MAX_VALUE) {
        return String.valueOf(n + 1);
      }
    } catch (NumberFormatException notANumber) {
      // shown below as it was sent
    }
    return "? (" + CallHeaders.RETRY_COUNT.toLowerCase(java.util.Locale.ROOT) + ": " + SafeText.of(retries, 20, List.of()) + ")";
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** The request's headers plus the Content-Type and Content-Length its body will add. */
  private static Headers withBodyHeaders(Request request) throws IOException {
    RequestBody body = request.body();
    if (body == null) {
      return request.headers();
    }
    Headers.Builder headers = request.headers().newBuilder();
    if (body.contentType() != null && request.header("Content-Type") == null) {
      headers.add("Content-Type", body.contentType().toString());
    }
    if (body.contentLength() >= 0 && request.header("Content-Length") == null) {
      headers.add("Content-Length", String.valueOf(body.contentLength()));
    }
    return headers.build();
  }

  private static String headers(Headers headers, Collection<String> secrets) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      boolean secret = SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT));
      out.append(i == 0 ? "" : " | ")
          .append(SafeText.of(name, MAX_HEADER_CHARS, secrets)).append(": ")
          .append(secret ? SafeText.REDACTED : SafeText.of(headers.value(i), MAX_HEADER_CHARS, secrets));
    }
    return out.length() == 0 ? "(none)" : out.toString();
  }

  private String requestBody(Request request, Collection<String> secrets) throws IOException {
    RequestBody body = request.body();
    MediaType type = body.contentType();
    long length = body.contentLength();
    if (body.isDuplex() || length < 0 || length > MAX_REQUEST_BODY_COPY
        || !isText(type) || request.header("Content-Encoding") != null) {
      return sizeOnly(length, type);
    }
    Buffer copy = new Buffer();
    body.writeTo(copy);
    byte[] start = copy.readByteArray(Math.min(copy.size(), MAX_BODY_BYTES + 1L));
    return text(start, length, type, secrets);
  }

  private String responseBody(Response response, Collection<String> secrets) throws IOException {
    ResponseBody body = response.body();
    if (body == null) {
      return "(none)";
    }
    MediaType type = body.contentType();
    long length = body.contentLength();
    if (!isText(type) || response.header("Content-Encoding") != null) {
      return sizeOnly(length, type);
    }
    byte[] start = response.peekBody(MAX_BODY_BYTES + 1L).bytes();
    return text(start, length >= 0 ? length : start.length > MAX_BODY_BYTES ? -1 : start.length, type, secrets);
  }

  /** Renders up to MAX_BODY_BYTES of {@code start} (which holds at most one byte more). */
  private String text(byte[] start, long totalBytes, MediaType type, Collection<String> secrets) {
    boolean cut = start.length > MAX_BODY_BYTES;
    Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
    int end = !cut ? start.length
        : charset.equals(StandardCharsets.UTF_8) ? utf8CharStart(start, MAX_BODY_BYTES) : MAX_BODY_BYTES;
    String text = new String(start, 0, end, charset);
    if (text.isEmpty() && !cut) {
      return "(empty)";
    }
    if (isJson(type, text)) {
      String redacted = JsonBodyRedactor.redact(text, cut, secretJsonProperties);
      if (redacted != null) {
        text = redacted;
      }
    }
    return cut ? SafeText.ofStart(text, totalBytes, MAX_BODY_CHARS, secrets)
        : SafeText.of(text, MAX_BODY_CHARS, secrets);
  }

  /** Moves a cut back to the start of the UTF-8 char it falls in, so no char is cut in two. */
  private static int utf8CharStart(byte[] bytes, int cut) {
    int at = cut;
    while (at > 0 && cut - at < 3 && (bytes[at] & 0xC0) == 0x80) {
      at--;
    }
    return (bytes[at] & 0xC0) == 0x80 ? cut : at;
  }

  private static boolean isJson(MediaType type, String text) {
    if (type == null) {
      String trimmed = text.stripLeading();
      return trimmed.startsWith("{") || trimmed.startsWith("[");
    }
    String subtype = type.subtype().toLowerCase(Locale.ROOT);
    return subtype.equals("json") || subtype.endsWith("+json");
  }

  /** Whether a body of this type is text to show; an unknown type counts as text. */
  private static boolean isText(MediaType type) {
    if (type == null) {
      return true;
    }
    String main = type.type().toLowerCase(Locale.ROOT);
    String subtype = type.subtype().toLowerCase(Locale.ROOT);
    if (main.equals("text")) {
      return !subtype.equals("event-stream"); // peeking a stream would wait for its events
    }
    return subtype.equals("json") || subtype.endsWith("+json") || subtype.equals("xml")
        || subtype.endsWith("+xml") || subtype.equals("x-www-form-urlencoded");
  }

  private static String sizeOnly(long length, MediaType type) {
    return "<" + (length >= 0 ? length + " bytes" : "unknown length") + ", "
        + (type == null ? "no content type" : SafeText.of(type.toString(), MAX_HEADER_CHARS, List.of())) + ">";
  }
}
