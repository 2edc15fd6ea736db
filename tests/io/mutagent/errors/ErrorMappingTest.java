package io.mutagent.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.Mutagent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every status becomes its exception class, with the parsed body and the request id. */
class ErrorMappingTest {
  static final String SECRET = "mt_live_S3CRET_key";

  MockWebServer server;
  Mutagent client;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    // No retries: each test scripts one response (retries have their own tests).
    client = Mutagent.builder().apiKey(SECRET).serverUrl(server.url("/").toString()).maxRetries(0).build();
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.shutdown();
  }

  MutagentApiException failWith(MockResponse response) {
    server.enqueue(response);
    return assertThrows(MutagentApiException.class, () -> client.prompt().getPrompt("prm_1"));
  }

  static MockResponse error(int status, String code) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
        .setHeader("X-Request-Id", "req_" + status)
        .setBody("{\"error\":\"" + code + "\",\"message\":\"it went wrong\",\"details\":{\"field\":\"name\"}}");
  }

  @ParameterizedTest
  @CsvSource({
      "400, BadRequestException", "401, AuthenticationException", "403, PermissionDeniedException",
      "404, NotFoundException", "409, ConflictException", "422, UnprocessableEntityException",
      "429, RateLimitException", "500, InternalServerException", "503, InternalServerException",
      "418, UnexpectedStatusException", "302, UnexpectedStatusException"})
  void eachStatusHasItsClassWithBodyAndRequestId(int status, String type) {
    MutagentApiException e = failWith(error(status, "code_" + status));

    assertEquals(type, e.getClass().getSimpleName());
    assertEquals(status, e.statusCode());
    assertEquals(Optional.of("code_" + status), e.errorCode());
    assertEquals("it went wrong", e.body().orElseThrow().message());
    assertEquals("name", e.body().orElseThrow().details().orElseThrow().get("field").getAsString());
    assertEquals(Optional.of("req_" + status), e.requestId());
    assertEquals(Optional.of("req_" + status), e.headers().first("x-request-id"));
    assertTrue(e.getMessage().startsWith(status + " "), e.getMessage());
    assertTrue(e.getMessage().contains("GET /api/prompt/prm_1: it went wrong [code_" + status + "]"), e.getMessage());
    assertFalse(e.getMessage().contains("S3CRET"), e.getMessage());
  }

  @Test
  void aBodyThatIsNotTheErrorJsonStillGivesTheClass() {
    MutagentApiException e = failWith(new MockResponse().setResponseCode(502).setBody("<html>bad gateway</html>"));

    assertInstanceOf(InternalServerException.class, e);
    assertEquals(Optional.empty(), e.body());
    assertEquals(Optional.of("<html>bad gateway</html>"), e.rawBody(), "a body of another shape is kept as text");
    assertTrue(e.getMessage().contains("not the API's error JSON (see rawBody())"), e.getMessage());
    assertEquals(Optional.empty(), e.requestId());
  }

  @Test
  void theRequestIdComesFromTheBodyWhenTheHeaderIsMissing() {
    MutagentApiException e = failWith(new MockResponse().setResponseCode(404)
        .setBody("{\"error\":\"not_found\",\"message\":\"gone\",\"requestId\":\"req_body\"}"));

    assertEquals(Optional.of("req_body"), e.requestId());
  }

  @Test
  void aRateLimitCarriesRetryAfterAndTheLimits() {
    RateLimitException e = (RateLimitException) failWith(error(429, "rate_limited")
        .setHeader("Retry-After", "12").setHeader("X-RateLimit-Limit", "60")
        .setHeader("X-RateLimit-Remaining", "0").setHeader("X-RateLimit-Reset", "1795000000"));

    Duration left = e.retryAfter().orElseThrow();
    assertTrue(left.compareTo(Duration.ofSeconds(11)) > 0 && left.compareTo(Duration.ofSeconds(12)) <= 0, left.toString());
    assertEquals(OptionalLong.of(60), e.limit());
    assertEquals(OptionalLong.of(0), e.remaining());
    assertEquals(Optional.of(Instant.ofEpochSecond(1795000000)), e.reset());
  }

  @Test
  void headersSurviveSerialization() throws Exception {
    RateLimitException e = (RateLimitException) failWith(error(429, "rate_limited").setHeader("Retry-After", "7"));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(e);
    }
    RateLimitException copy;
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (RateLimitException) in.readObject();
    }
    assertEquals(e.rateLimit().retryAt(), copy.rateLimit().retryAt());
    assertTrue(copy.retryAfter().orElseThrow().compareTo(Duration.ofSeconds(7)) <= 0, copy.retryAfter().toString());
    assertEquals(Optional.of("req_429"), copy.requestId());
    assertEquals(e.getMessage(), copy.getMessage());
  }

  @Test
  void a401SaysHowToSetAKeyWhenNoneWasSent() throws IOException {
    try (Mutagent anonymous = Mutagent.builder().serverUrl(server.url("/").toString()).maxRetries(0).build()) {
      server.enqueue(error(401, "unauthorized"));
      AuthenticationException e = assertThrows(AuthenticationException.class, () -> anonymous.prompt().getPrompt("prm_1"));
      // (a MUTAGENT_API_KEY in the build's environment would change the hint, so accept either)
      assertTrue(e.getMessage().contains("MUTAGENT_API_KEY") || e.getMessage().contains("was rejected"),
          e.getMessage());
    }
    server.enqueue(error(401, "unauthorized"));
    AuthenticationException rejected = assertThrows(AuthenticationException.class, () -> client.prompt().getPrompt("prm_1"));
    assertTrue(rejected.getMessage().endsWith("The API key or bearer token was rejected: check that it is valid and not revoked"),
        rejected.getMessage());
  }
}
