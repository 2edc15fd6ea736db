package io.mutagent.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.Mutagent;
import io.mutagent.TestClients;
import io.mutagent.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every status becomes its exception class, with the parsed body and the request id. The clients
 * ignore the process environment, so a MUTAGENT_API_KEY on the build machine changes nothing.
 */
class ErrorMappingTest {
  static final String SECRET = "mt_live_S3CRET_key";
  static final String NO_CREDENTIALS_HINT = "No credentials were sent: set an API key with "
      + "Mutagent.builder().apiKey(\"mt_...\") or the MUTAGENT_API_KEY environment variable";
  static final String REJECTED_HINT =
      "The API key or bearer token was rejected: check that it is valid and not revoked";

  MockWebServer server;
  Mutagent client;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
    // No retries: each test scripts one response (retries have their own tests).
    client = TestClients.mutagent().apiKey(SECRET).serverUrl(server.url("/").toString()).maxRetries(0).build();
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
      "418, UnexpectedStatusException"})
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
  void theMessageSaysStatusCallErrorAndRequestId() {
    MutagentApiException e = failWith(error(404, "not_found"));

    assertEquals("404 Not Found from GET /api/prompt/prm_1: it went wrong [not_found] (request id req_404)",
        e.getMessage());
  }

  @Test
  void everyExceptionOfTheSdkExtendsMutagentException() throws Exception {
    Path errors = Path.of(MutagentException.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("io/mutagent/errors");
    List<String> names;
    try (Stream<Path> files = Files.list(errors)) {
      names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".class") && !n.contains("$")
          && !n.equals("package-info.class"))
          .map(n -> n.substring(0, n.length() - ".class".length())).sorted().collect(Collectors.toList());
    }
    assertTrue(names.size() >= 14, "expected the exception classes in " + errors + ", found " + names);
    for (String name : names) {
      Class<?> type = Class.forName("io.mutagent.errors." + name);
      assertTrue(MutagentException.class.isAssignableFrom(type), name + " does not extend MutagentException");
    }
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
  void a401WithoutCredentialsSaysHowToSetAKey() {
    try (Mutagent anonymous = TestClients.mutagent().serverUrl(server.url("/").toString()).maxRetries(0).build()) {
      server.enqueue(error(401, "unauthorized"));
      AuthenticationException e = assertThrows(AuthenticationException.class, () -> anonymous.prompt().getPrompt("prm_1"));
      assertEquals("401 Unauthorized from GET /api/prompt/prm_1: it went wrong [unauthorized] (request id req_401). "
          + NO_CREDENTIALS_HINT, e.getMessage());
    }
  }

  @Test
  void a401WithCredentialsSaysTheyWereRejected() {
    server.enqueue(error(401, "unauthorized"));
    AuthenticationException e = assertThrows(AuthenticationException.class, () -> client.prompt().getPrompt("prm_1"));
    assertEquals("401 Unauthorized from GET /api/prompt/prm_1: it went wrong [unauthorized] (request id req_401). "
        + REJECTED_HINT, e.getMessage());
  }

  @Test
  void a401WithABearerTokenSaysItWasRejected() {
    try (Mutagent bearer = TestClients.mutagent().bearerToken("jwt.S3CRET.token")
        .serverUrl(server.url("/").toString()).build()) {
      server.enqueue(error(401, "unauthorized"));
      AuthenticationException e = assertThrows(AuthenticationException.class, () -> bearer.prompt().getPrompt("prm_1"));
      assertTrue(e.getMessage().endsWith(". " + REJECTED_HINT), e.getMessage());
      assertFalse(e.getMessage().contains("S3CRET"), e.getMessage());
    }
  }

  @Test
  void aRedirectSaysWhereItPointedAndWhyItWasNotFollowed() {
    MutagentApiException e = failWith(new MockResponse().setResponseCode(307)
        .setHeader("Location", "https://other.example:8443/api/prompt/prm_1?token=S3CRET"));
    assertInstanceOf(UnexpectedStatusException.class, e);
    assertEquals(307, e.statusCode());
    assertTrue(e.getMessage().startsWith("307 Temporary Redirect from GET /api/prompt/prm_1: a redirect to "
        + "https://other.example:8443/api/prompt/prm_1, which the SDK does not follow: following it would send "
        + "the credentials to that address. If the API has moved, set serverUrl"), e.getMessage());
    assertFalse(e.getMessage().contains("S3CRET"), "the query of the target is not shown");
  }
}
