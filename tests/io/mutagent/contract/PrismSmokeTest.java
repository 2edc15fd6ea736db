package io.mutagent.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.mutagent.RequestOptions;
import io.mutagent.internal.Json;
import io.mutagent.internal.JsonConverterFactory;
import io.mutagent.internal.api.WorkspacesApi;
import io.mutagent.internal.http.CallHeaders;
import io.mutagent.models.Workspace;
import java.io.IOException;
import java.time.OffsetDateTime;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import retrofit2.Response;
import retrofit2.Retrofit;

/**
 * The foundation's end-to-end check: one operation through a generated Retrofit interface, against
 * the Prism mock of our own spec, with the parsed body compared to the spec's example.
 */
@Tag("contract")
@ExtendWith(PrismServer.class)
class PrismSmokeTest {

  @Test
  void getWorkspaceThroughTheGeneratedInterfaceReturnsTheSpecExample() throws IOException {
    OkHttpClient http = new OkHttpClient.Builder()
        .addInterceptor(chain -> chain.proceed(
            chain.request().newBuilder().header("x-api-key", "mt_smoke_test").build()))
        .build();
    WorkspacesApi api = new Retrofit.Builder()
        .baseUrl(PrismServer.baseUrl() + "/")
        .client(http)
        .addConverterFactory(new JsonConverterFactory(Json.gson(), new io.mutagent.internal.text.KnownSecrets()))
        .build()
        .create(WorkspacesApi.class);

    // Headers with no attempt set add nothing: the interceptor above sends the key.
    Response<Workspace> response = api.getWorkspace("ws_smoke", java.util.Map.of(),
        new CallHeaders(RequestOptions.none(), "GET", CallHeaders.JSON)).execute();

    assertEquals(200, response.code(), () -> "Prism answered " + response.code());
    assertNull(response.headers().get("sl-violations"),
        () -> "Prism reports a contract violation: " + response.headers().get("sl-violations"));
    JsonObject example = SpecOperations.byId("getWorkspace").responseExample().getAsJsonObject();
    Workspace workspace = response.body();
    assertNotNull(workspace);
    assertEquals(example.get("id").getAsString(), workspace.id());
    assertEquals(example.get("name").getAsString(), workspace.name());
    assertEquals(example.get("organizationId").getAsString(), workspace.organizationId());
    assertEquals(OffsetDateTime.parse(example.get("createdAt").getAsString()), workspace.createdAt());
    assertTrue(response.headers().get("X-RateLimit-Limit") != null, "rate-limit header missing");
  }
}
