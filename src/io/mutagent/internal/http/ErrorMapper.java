package io.mutagent.internal.http;

import io.mutagent.HttpHeaders;
import io.mutagent.errors.MutagentApiException;
import io.mutagent.errors.MutagentIoException;
import io.mutagent.errors.MutagentTimeoutException;
import io.mutagent.errors.QuotaExceededException;
import io.mutagent.internal.Json;
import io.mutagent.internal.text.KnownSecrets;
import io.mutagent.internal.text.SafeText;
import io.mutagent.models.ErrorBody;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import okhttp3.Request;
import okhttp3.ResponseBody;
import retrofit2.Response;
import org.jspecify.annotations.Nullable;

/**
 * Turns what a call ended with into the SDK's exceptions: an error status into the
 * {@link MutagentApiException} subclass for it, an I/O failure into {@link MutagentIoException}.
 * Messages name the call and, where known, the fix; they never contain credentials. Internal.
 */
public final class ErrorMapper {
  /** Server text in a message is cut to this many characters. */
  static final int MAX_SERVER_TEXT = 1000;

  private final boolean hasCredentials;
  private final KnownSecrets secrets;

  /**
   * Creates a mapper.
   *
   * @param hasCredentials whether the client sends an API key or bearer token (changes the 401 hint)
   * @param secrets the credentials to mask in whatever text comes from the server
   */
  public ErrorMapper(boolean hasCredentials, KnownSecrets secrets) {
    this.hasCredentials = hasCredentials;
    this.secrets = secrets;
  }

  /** Returns the exception for a response with an error status. */
  public MutagentApiException fromResponse(Response<?> response, int retries) {
    okhttp3.Response raw = response.raw();
    String text = bodyText(response.errorBody());
    ErrorBody body = parseBody(text);
    // Everything taken from the server is made safe once, here: credentials masked, control
    // characters escaped, length capped. The exception then never holds the raw text.
    String rawBody = body == null && text != null && !text.isEmpty() ? safe(text, MAX_RAW_BODY) : null;
    String requestId = raw.header("X-Request-Id");
    if (requestId == null && body != null) {
      requestId = body.requestId().orElse(null);
    }
    requestId = requestId == null ? null : safe(requestId, 200);
    StringBuilder message = new StringBuilder()
        .append(raw.code()).append(' ').append(reason(raw.code()))
        .append(" from ").append(describe(raw.request())).append(retried(retries));
    if (raw.code() >= 300 && raw.code() < 400) {
      message.append(": ").append(redirect(raw));
    } else if (body != null) {
      message.append(": ").append(safe(body.message(), MAX_SERVER_TEXT))
          .append(" [").append(safe(body.error(), 200)).append(']');
    } else if (rawBody != null) {
      message.append(": the body is not the API's error JSON (see rawBody())");
    }
    if (requestId != null) {
      message.append(" (request id ").append(requestId).append(')');
    }
    String hint = hint(raw.code());
    if (hint != null) {
      message.append(". ").append(hint);
    }
    HttpHeaders headers = maskedHeaders(raw.headers());
    if (raw.code() == 429) {
      java.time.Instant renewsAt = quotaRenewal(body, headers, java.time.Instant.ofEpochMilli(raw.receivedResponseAtMillis()));
      if (renewsAt != null) {
        message.append(". The quota renews at ").append(renewsAt).append("; the call is not retried (the wait "
            + "is hours), and this client refuses further calls on this credential until then without sending them");
        return new QuotaExceededException(message.toString(), headers, body, rawBody, requestId, renewsAt, true);
      }
    }
    return MutagentApiException.of(message.toString(), raw.code(), headers, body, rawBody, requestId);
  }

  /** The error code of a 429 past the plan's daily quota (decided in the API reference). */
  static final String DAILY_QUOTA_EXCEEDED = "daily_quota_exceeded";

  /**
   * Returns when the quota a 429 reports renews, or null when it is the per-minute window: the
   * error code {@code daily_quota_exceeded}, or a {@code Retry-After} longer than the SDK waits
   * (then the moment it names). Without a usable Retry-After, a daily quota renews at the next
   * 00:00 UTC.
   */
  static java.time.@Nullable Instant quotaRenewal(@Nullable ErrorBody body, HttpHeaders headers,
      java.time.Instant receivedAt) {
    java.util.Optional<java.time.Instant> retryAt = io.mutagent.RateLimit.of(headers, receivedAt).retryAt();
    boolean daily = body != null && DAILY_QUOTA_EXCEEDED.equals(body.error());
    boolean tooLong = retryAt.isPresent()
        && java.time.Duration.between(receivedAt, retryAt.get()).compareTo(RetryPolicy.MAX_REQUESTED_WAIT) > 0;
    if (!daily && !tooLong) {
      return null;
    }
    if (retryAt.isPresent()) {
      return retryAt.get();
    }
    long day = 86_400_000L;
    return java.time.Instant.ofEpochMilli(Math.floorDiv(receivedAt.toEpochMilli(), day) * day + day);
  }

  /** Returns server text as safe to put in a message: credentials masked, controls escaped, capped. */
  String safe(String serverText, int maxChars) {
    return SafeText.of(serverText, maxChars, secrets.all());
  }

  /** Returns the headers an exception keeps: a credential a server echoed back is masked. */
  private HttpHeaders maskedHeaders(okhttp3.Headers headers) {
    String[] pairs = new String[headers.size() * 2];
    for (int i = 0; i < headers.size(); i++) {
      pairs[2 * i] = headers.name(i);
      pairs[2 * i + 1] = SafeText.of(headers.value(i), 8192, secrets.all());
    }
    return HttpHeaders.of(pairs);
  }

  /** Returns the SDK's copy of OkHttp's headers. */
  public static HttpHeaders headers(okhttp3.Headers headers) {
    String[] pairs = new String[headers.size() * 2];
    for (int i = 0; i < headers.size(); i++) {
      pairs[2 * i] = headers.name(i);
      pairs[2 * i + 1] = headers.value(i);
    }
    return HttpHeaders.of(pairs);
  }

  /** Returns the exception for a call that got no response. */
  public MutagentIoException io(Request request, IOException e, int retries) {
    String call = describe(request) + retried(retries);
    if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException
        && "timeout".equals(e.getMessage())) {
      return new MutagentTimeoutException(
          call + " timed out. Raise the client's timeout (builder().timeout(...)) or the call's "
              + "(RequestOptions.builder().timeout(...)) if the operation is slow", e);
    }
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : safe(e.getMessage(), MAX_SERVER_TEXT);
    String hint = "";
    if (e instanceof ConnectException) {
      hint = ". Is the server at " + request.url().scheme() + "://" + request.url().host() + ":"
          + request.url().port() + " running? (set serverUrl or MUTAGENT_SERVER_URL)";
    } else if (e instanceof UnknownHostException) {
      hint = ". Check serverUrl or MUTAGENT_SERVER_URL";
    }
    return new MutagentIoException(call + " failed: " + why + hint, e);
  }

  private @Nullable String hint(int status) {
    switch (status) {
      case 401:
        return hasCredentials
            ? "The API key or bearer token was rejected: check that it is valid and not revoked"
            : "No credentials were sent: set an API key with Mutagent.builder().apiKey(\"mt_...\") "
                + "or the MUTAGENT_API_KEY environment variable";
      case 403:
        return "Check the key's scope and the workspace/organization ids the client sends "
            + "(keyScope, workspaceId, organizationId)";
      case 429:
        return "Rate limited: wait for Retry-After before trying again";
      default:
        return null;
    }
  }

  /** An error body is kept up to this many characters. */
  static final int MAX_RAW_BODY = 8 * 1024;

  private static @Nullable String bodyText(@Nullable ResponseBody errorBody) {
    if (errorBody == null) {
      return null;
    }
    // Retrofit has already buffered the error body in memory.
    try (ResponseBody body = errorBody) {
      return body.string();
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  private static @Nullable ErrorBody parseBody(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      ErrorBody parsed = Json.gson().fromJson(text, ErrorBody.class);
      if (parsed != null) {
        parsed.error(); // both are required: a body without them is not the API's Error JSON
        parsed.message();
      }
      return parsed;
    } catch (RuntimeException notTheApisErrorJson) {
      return null;
    }
  }

  /** Says where a redirect pointed (scheme, host and path only) and why it was not followed. */
  private static String redirect(okhttp3.Response raw) {
    String location = raw.header("Location");
    okhttp3.HttpUrl target = location == null ? null : raw.request().url().resolve(location);
    String where = target == null ? "an address the response did not give"
        : target.scheme() + "://" + target.host()
            + (target.port() == okhttp3.HttpUrl.defaultPort(target.scheme()) ? "" : ":" + target.port())
            + target.encodedPath();
    return "a redirect to " + where + ", which the SDK does not follow: following it would send the "
        + "credentials to that address. If the API has moved, set serverUrl (or MUTAGENT_SERVER_URL) to "
        + "the new address";
  }

  private static String retried(int retries) {
    return retries == 0 ? "" : retries == 1 ? " (after 1 retry)" : " (after " + retries + " retries)";
  }

  private static String describe(Request request) {
    return request.method() + " " + request.url().encodedPath();
  }

  private static String reason(int status) {
    switch (status) {
      case 301: return "Moved Permanently";
      case 302: return "Found";
      case 303: return "See Other";
      case 307: return "Temporary Redirect";
      case 308: return "Permanent Redirect";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 409: return "Conflict";
      case 422: return "Unprocessable Entity";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      case 504: return "Gateway Timeout";
      default: return "HTTP error";
    }
  }
}
