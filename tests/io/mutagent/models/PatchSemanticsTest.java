package io.mutagent.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mutagent.Mutagent;
import io.mutagent.TestClients;
import io.mutagent.TestServers;
import java.io.IOException;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact JSON a PATCH sends for "leave as is", "set to null" and "set to x", through the
 * client and its whole interceptor chain.
 */
class PatchSemanticsTest {
  static final String PROMPT = ForwardCompatibilityTest.FIXTURE;

  MockWebServer server;
  Mutagent client;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
    client = TestClients.mutagent().apiKey("mt_patch_test").serverUrl(server.url("/").toString()).build();
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.shutdown();
  }

  String sent(UpdatePromptRequest request) throws Exception {
    server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(PROMPT));
    client.prompt().updatePrompt("prm_7Hq2mXk9", request);
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
    assertEquals("{\"description\":null}", sent(UpdatePromptRequest.builder().clearDescription().build()));
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
    UpdatePromptRequest clear = UpdatePromptRequest.builder().clearDescription().build();
    assertEquals("{\"name\":\"x\",\"description\":null}", sent(clear.toBuilder().name("x").build()));
  }
}
