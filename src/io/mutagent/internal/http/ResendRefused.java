package io.mutagent.internal.http;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.GzipSource;
import okio.Okio;

/**
 * Thrown by {@link ConnectionTracker} when OkHttp tries to send an attempt's request a second time
 * on its own: its {@code RetryAndFollowUpInterceptor} resends after a {@code 503} with
 * {@code Retry-After: 0} or a {@code 421} on a coalesced HTTP/2 connection, whatever
 * {@code retryOnConnectionFailure} says. The SDK refuses every such resend, whatever the cause, so
 * that its {@link RetryPolicy} alone decides, counts and logs. Nothing of the refused resend went
 * out; the runner reports the answer that OkHttp would have resent after as the attempt's
 * response. Internal.
 */
final class ResendRefused extends IOException {
  private static final long serialVersionUID = 1L;

  /** The answer OkHttp would have resent after, its body buffered; never serialized. */
  private final transient Response answer;

  ResendRefused(Response answer) {
    super("HTTP " + answer.code() + " answered; OkHttp's own resend of the request was refused "
        + "(the SDK's retry policy decides)");
    this.answer = answer;
  }

  /**
   * Returns the answer as Retrofit's error response, its body decoded as OkHttp would have
   * (a gzipped body is inflated, which the refused resend kept OkHttp from doing).
   */
  <T> retrofit2.Response<T> asResponse() throws IOException {
    ResponseBody body = answer.body();
    Buffer bytes = new Buffer();
    MediaType type = null;
    if (body != null) {
      type = body.contentType();
      bytes.writeAll(body.source());
    }
    Response.Builder raw = answer.newBuilder().body(null);
    if ("gzip".equalsIgnoreCase(answer.header("Content-Encoding"))) {
      Buffer inflated = new Buffer();
      inflated.writeAll(Okio.buffer(new GzipSource(bytes)));
      bytes = inflated;
      raw.removeHeader("Content-Encoding").removeHeader("Content-Length");
    }
    return retrofit2.Response.error(ResponseBody.create(bytes, type, bytes.size()), raw.build());
  }
}
