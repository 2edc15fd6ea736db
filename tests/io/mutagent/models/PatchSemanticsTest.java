package io.mutagent.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mutagent.RequestOptions;
import io.mutagent.internal.Json;
import io.mutagent.internal.JsonConverterFactory;
import io.mutagent.internal.http.PromptApi;
import java.io.IOException;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import retrofit2.Retrofit;

/** The exact JSON a PATCH sends for "leave as is", "set to null" and "set to x". */
class PatchSemanticsTest {
  static final String PROMPT = ForwardCompatibilityTest.FIXTURE;

  MockWebServer server;
  PromptApi api;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    api = new Retrofit.Builder()
        .baseUrl(server.url("/"))
        .addConverterFactory(new JsonConverterFactory(Json.gson()))
        .build()
        .create(PromptApi.class);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  String sent(UpdatePromptRequest request) throws Exception {
    server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(PROMPT));
    api.updatePrompt(RequestOptions.none(), "prm_7Hq2mXk9", request).execute();
    RecordedRequest recorded = server.takeRequest();
    assertEquals("PATCH", recorded.getMethod());
    assertEquals("/api/prompt/prm_7Hq2mXk9", recorded.getPath());
    return recorded.getBody().readUtf8();
  }

  @Test
  void leaveAsIsSendsNothingForTheField() throws Exception {
    assertEquals("{\"name\":\"Renamed\"}", sent(UpdatePromptRequest.builder().name("Renamed").build()));
  }

  @Test
  void setToNullSendsAnExplicitNull() throws Exception {
    assertEquals("{\"description\":null}", sent(UpdatePromptRequest.builder().description(null).build()));
  }

  @Test
  void setToAValueSendsTheValue() throws Exception {
    assertEquals("{\"description\":\"Routes tickets\"}",
        sent(UpdatePromptRequest.builder().description("Routes tickets").build()));
  }

  @Test
  void anEmptyPatchSendsAnEmptyObject() throws Exception {
    assertEquals("{}", sent(UpdatePromptRequest.builder().build()));
  }

  @Test
  void anExplicitNullSurvivesToBuilder() throws Exception {
    UpdatePromptRequest clear = UpdatePromptRequest.builder().description(null).build();
    assertEquals("{\"name\":\"x\",\"description\":null}", sent(clear.toBuilder().name("x").build()));
  }
}
