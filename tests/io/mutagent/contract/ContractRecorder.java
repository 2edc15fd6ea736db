package io.mutagent.contract;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Records every exchange the SDK has with Prism, as the server saw it: which contract case sent it
 * (the {@code X-Contract-Case} header the test adds through RequestOptions), the method and path,
 * the status, and Prism's {@code sl-violations} header. Added to the SDK through
 * {@code httpClient(...)}, so it sees requests exactly as they leave the SDK.
 */
final class ContractRecorder implements Interceptor {
  static final String CASE_HEADER = "X-Contract-Case";

  /** One request and what Prism answered, with the media types of both bodies (null without one). */
  record Exchange(String contractCase, String method, String path, int status, String violations,
      String requestType, String responseType) {}

  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Response response = chain.proceed(request);
    exchanges.add(new Exchange(request.header(CASE_HEADER), request.method(),
        request.url().encodedPath(), response.code(), response.header("sl-violations"),
        request.body() == null ? null : mediaType(request.body().contentType()),
        mediaType(response.body() == null ? null : response.body().contentType())));
    return response;
  }

  private static String mediaType(MediaType type) {
    return type == null ? null : type.type() + "/" + type.subtype();
  }

  /** Returns the exchanges so far, in order. */
  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /** Returns the last exchange a contract case made. */
  Optional<Exchange> last(String contractCase) {
    Exchange found = null;
    for (Exchange exchange : exchanges) {
      if (contractCase.equals(exchange.contractCase())) {
        found = exchange;
      }
    }
    return Optional.ofNullable(found);
  }
}
