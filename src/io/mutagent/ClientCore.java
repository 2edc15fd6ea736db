package io.mutagent;

import io.mutagent.internal.AuthInterceptor;
import io.mutagent.internal.ErrorMapper;
import io.mutagent.internal.Json;
import io.mutagent.internal.JsonConverterFactory;
import io.mutagent.internal.RequestOptionsInterceptor;
import io.mutagent.internal.Resources;
import io.mutagent.internal.ScopeHeadersInterceptor;
import io.mutagent.internal.ServiceContext;
import io.mutagent.internal.UserAgentInterceptor;
import java.time.Duration;
import okhttp3.OkHttpClient;
import retrofit2.Retrofit;

/**
 * What a blocking and an async client share: configuration, HTTP resources and the transport
 * built from them. A copy for another workspace shares the resources.
 */
final class ClientCore {
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  final ClientConfig config;
  final Resources resources;
  final ServiceContext context;

  private ClientCore(ClientConfig config, Resources resources) {
    this.config = config;
    this.resources = resources;
    Duration connect = config.timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? config.timeout : MAX_CONNECT_TIMEOUT;
    OkHttpClient.Builder http = resources.base().newBuilder()
        .callTimeout(config.timeout)
        .readTimeout(config.timeout)
        .writeTimeout(config.timeout)
        .connectTimeout(connect)
        // The API never redirects; following one would hand x-api-key to another host (OkHttp
        // strips only Authorization) or downgrade https to http.
        .followRedirects(false)
        .followSslRedirects(false);
    // Ours run first, so the user's own interceptors see the request as it goes out.
    http.interceptors().add(0, new UserAgentInterceptor());
    http.interceptors().add(1, new AuthInterceptor(config.apiKey, config.bearerToken));
    http.interceptors().add(2, new ScopeHeadersInterceptor(config.workspaceId, config.organizationId));
    http.interceptors().add(3, new RequestOptionsInterceptor());
    Retrofit retrofit = new Retrofit.Builder()
        .baseUrl(config.serverUrl)
        .client(http.build())
        .addConverterFactory(new JsonConverterFactory(Json.gson()))
        .build();
    this.context = new ServiceContext(retrofit, resources, new ErrorMapper(config.hasCredentials()));
  }

  static ClientCore create(ClientConfig config) {
    return new ClientCore(config, Resources.create(config.httpClient));
  }

  ClientCore withConfig(ClientConfig other) {
    return new ClientCore(other, resources);
  }
}
