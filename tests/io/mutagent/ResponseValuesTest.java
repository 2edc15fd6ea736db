package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.models.Prompt;
import io.mutagent.models.PromptPage;
import io.mutagent.models.Trace;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a response with a value that does not fit its type, or with a key twice, does to a call,
 * the same through the blocking and the async client: a value that does not fit fails only its
 * getter; a duplicate key anywhere fails the call as invalid data, naming the path.
 */
class ResponseValuesTest {
  static final String KEY = "mt_live_VALUES_secret_9f3a";
  static final String PROMPT = RetryTest.PROMPT;
  static final String PAGE_END = "],\"pagination\":{\"page\":1,\"limit\":50,\"total\":2,\"hasMore\":false}}";

  MockWebServer server;
  Mutagent client;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
    client = TestClients.mutagent().apiKey(KEY).serverUrl(server.url("/").toString()).maxRetries(0).build();
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.shutdown();
  }

  void answer(String body) {
    server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(body));
  }

  Prompt getPrompt(boolean async) throws Exception {
    return async ? client.async().prompt().getPrompt("prm_1").get(10, TimeUnit.SECONDS)
        : client.prompt().getPrompt("prm_1");
  }

  PromptPage listPrompts(boolean async) throws Exception {
    return async ? client.async().prompt().listPrompts().get(10, TimeUnit.SECONDS) : client.prompt().listPrompts();
  }

  /** Returns what the call failed with, the async client's unwrapped. */
  static Throwable failure(ThrowingCall call) {
    Throwable thrown = assertThrows(Throwable.class, call::run);
    return thrown instanceof ExecutionException ? thrown.getCause() : thrown;
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void getPromptWithALatestVersionBeyondInt32FailsOnlyThatGetter(boolean async) throws Exception {
    answer(PROMPT.replace("\"latestVersion\":1", "\"latestVersion\":3000000000"));

    Prompt prompt = getPrompt(async);
    assertEquals("prm_7Hq2mXk9", prompt.id());
    assertEquals("n", prompt.name());
    prompt.createdAt();
    MutagentInvalidDataException e = assertThrows(MutagentInvalidDataException.class, prompt::latestVersion);
    assertTrue(e.getMessage().startsWith("Prompt.latestVersion: the server sent a number out of the range of an "
        + "int32 (at $.latestVersion)"), e.getMessage());
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void listPromptsWithATotalBeyondInt32FailsOnlyTotal(boolean async) throws Exception {
    answer("{\"data\":[" + PROMPT + "," + PROMPT.replace("\"name\":\"n\"", "\"name\":[\"n\"]")
        + PAGE_END.replace("\"total\":2", "\"total\":2147483648"));

    PromptPage page = listPrompts(async);
    assertEquals(2, page.data().size());
    assertEquals("n", page.data().get(0).name());
    assertEquals("prm_7Hq2mXk9", page.data().get(1).id());
    MutagentInvalidDataException name = assertThrows(MutagentInvalidDataException.class, page.data().get(1)::name);
    assertTrue(name.getMessage().contains("(at $.data[1].name)"), name.getMessage());
    assertEquals(50, page.pagination().limit());
    MutagentInvalidDataException total = assertThrows(MutagentInvalidDataException.class, page.pagination()::total);
    assertTrue(total.getMessage().contains("(at $.pagination.total)"), total.getMessage());
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aMapKeyInAGetterMessageHasTheCredentialMaskedAndControlsEscaped(boolean async) throws Exception {
    answer("{\"id\":\"t\",\"metadata\":{\"" + KEY + "\\u001b[2J\":{\"nested\":1}}}");

    Trace trace = async ? client.async().traces().getTrace("t").get(10, TimeUnit.SECONDS)
        : client.traces().getTrace("t");
    assertEquals("t", trace.id());
    MutagentInvalidDataException e = assertThrows(MutagentInvalidDataException.class, trace::metadata);
    assertTrue(e.getMessage().contains("(at $.metadata.[redacted]\\u001b[2J)"), e.getMessage());
    assertFalse(e.getMessage().contains(KEY), e.getMessage());
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aKeyTwiceFailsTheCallNamingThePath(boolean async) {
    answer(PROMPT.replace("}", ",\"id\":\"prm_DUP\"}"));
    Throwable e = failure(() -> getPrompt(async));
    assertInstanceOf(MutagentInvalidDataException.class, e);
    assertTrue(e.getMessage().startsWith("getPrompt (GET /api/prompt/prm_1): the JSON has the key \"id\" twice in one "
        + "object (at $.id)"), e.getMessage());

    answer("{\"data\":[" + PROMPT + "," + PROMPT.replace("\"content\":\"c\"", "\"content\":\"c\",\"owner\":{\"id\":1,"
        + "\"id\":2}") + PAGE_END);
    Throwable nested = failure(() -> listPrompts(async));
    assertInstanceOf(MutagentInvalidDataException.class, nested);
    assertTrue(nested.getMessage().contains("twice in one object (at $.data[1].owner.id)"), nested.getMessage());
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aDuplicateKeyThatIsACredentialIsMaskedInTheMessage(boolean async) {
    answer("{\"id\":\"t\",\"metadata\":{\"" + KEY + "\":\"1\",\"" + KEY + "\":\"2\"}}");
    Throwable e = failure(() -> {
      if (async) {
        client.async().traces().getTrace("t").get(10, TimeUnit.SECONDS);
      } else {
        client.traces().getTrace("t");
      }
    });
    assertInstanceOf(MutagentInvalidDataException.class, e);
    assertTrue(e.getMessage().contains("the key \"[redacted]\" twice in one object (at $.metadata.[redacted])"),
        e.getMessage());
  }

  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aBodyWhoseTopDoesNotFitFailsTheCall(boolean async) {
    answer("[" + PROMPT + "]");
    Throwable e = failure(() -> getPrompt(async));
    assertInstanceOf(MutagentInvalidDataException.class, e);
    assertTrue(e.getMessage().contains("the response is not the JSON Prompt the API spec describes: the server "
        + "sent an array where an object (Prompt) belongs (at $)"), e.getMessage());
  }
}
