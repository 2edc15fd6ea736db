package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configuration checks at build(): each error names the option and the fix, never a secret. */
class ClientConfigTest {
  static final String SECRET = "mt_live_S3CRET_do_not_print";

  /**
   * A builder over this environment; without a MUTAGENT_SERVER_URL in it, the default URL is put
   * there, so that test clients log no "no server URL was set" warning (see TestClients).
   */
  static Mutagent.Builder builder(Map<String, String> env) {
    Map<String, String> withUrl = new java.util.HashMap<>(env);
    withUrl.putIfAbsent("MUTAGENT_SERVER_URL", ClientBuilder.DEFAULT_SERVER_URL);
    return Mutagent.builder().environment(withUrl);
  }

  static IllegalArgumentException refused(ClientBuilder<?, ?> builder) {
    return assertThrows(IllegalArgumentException.class, builder::build);
  }

  @Test
  void defaultsToLocalhost3003And60Seconds() {
    try (Mutagent client = builder(Map.of()).build()) {
      assertEquals("http://localhost:3003/", client.core().config.serverUrl.toString());
      assertEquals(Duration.ofSeconds(60), client.core().config.timeout);
      assertEquals(KeyScope.WORKSPACE, client.core().config.keyScope);
    }
  }

  @Test
  void aSetterGivenNullLeavesItsOptionUnsetSoTheEnvironmentOrTheDefaultApplies() {
    try (Mutagent client = builder(Map.of("MUTAGENT_SERVER_URL", "http://localhost:4010"))
        .serverUrl("http://localhost:9999").serverUrl(null)
        .timeout(Duration.ofSeconds(5)).timeout(null).build()) {
      assertEquals("http://localhost:4010/", client.core().config.serverUrl.toString());
      assertEquals(Duration.ofSeconds(60), client.core().config.timeout, "timeout(null) is the default, not none");
    }
  }

  @Test
  void environmentFillsWhatTheBuilderLeavesOut() {
    Map<String, String> env = Map.of("MUTAGENT_API_KEY", SECRET,
        "MUTAGENT_SERVER_URL", "https://api.mutagent.io",
        "MUTAGENT_WORKSPACE_ID", "ws_env", "MUTAGENT_ORGANIZATION_ID", "org_env");
    try (Mutagent client = builder(env).keyScope(KeyScope.USER).build()) {
      ClientConfig config = client.core().config;
      assertEquals(SECRET, config.apiKey);
      assertEquals("https://api.mutagent.io/", config.serverUrl.toString());
      assertEquals("ws_env", config.workspaceId);
      assertEquals("org_env", config.organizationId);
    }
  }

  @Test
  void theBuilderWinsOverTheEnvironment() {
    Map<String, String> env = Map.of("MUTAGENT_API_KEY", "mt_env", "MUTAGENT_SERVER_URL", "https://env.example",
        "MUTAGENT_WORKSPACE_ID", "ws_env");
    try (Mutagent client = builder(env).apiKey("mt_code").serverUrl("https://code.example")
        .keyScope(KeyScope.ORGANIZATION).workspaceId("ws_code").build()) {
      assertEquals("mt_code", client.core().config.apiKey);
      assertEquals("https://code.example/", client.core().config.serverUrl.toString());
      assertEquals("ws_code", client.core().config.workspaceId);
    }
  }

  @Test
  void aBearerTokenTurnsOffTheEnvironmentKey() {
    try (Mutagent client = builder(Map.of("MUTAGENT_API_KEY", "mt_env")).bearerToken("jwt.token.x").build()) {
      assertEquals(null, client.core().config.apiKey);
      assertEquals("jwt.token.x", client.core().config.bearerToken);
    }
  }

  @Test
  void bothAuthMethodsIsAnError() {
    IllegalArgumentException e = refused(builder(Map.of()).apiKey(SECRET).bearerToken("jwt-SECRET"));
    assertTrue(e.getMessage().startsWith("both an API key (apiKey/apiKeySupplier) and a bearer token"), e.getMessage());
    assertFalse(e.getMessage().contains("SECRET"));
  }

  @Test
  void aMalformedUrlNamesTheValueAndTheFix() {
    IllegalArgumentException e = refused(builder(Map.of()).serverUrl("api.mutagent.io"));
    assertEquals("serverUrl 'api.mutagent.io' is not an http(s) URL; use e.g. https://api.mutagent.io "
        + "or http://localhost:3003", e.getMessage());
  }

  @Test
  void aMalformedUrlFromTheEnvironmentSaysSo() {
    IllegalArgumentException e = refused(builder(Map.of("MUTAGENT_SERVER_URL", "ftp://x")));
    assertTrue(e.getMessage().startsWith("MUTAGENT_SERVER_URL 'ftp://x'"), e.getMessage());
  }

  @Test
  void aServerUrlEndingInApiIsRefusedWithTheRightOne() {
    IllegalArgumentException e = refused(builder(Map.of()).serverUrl("https://api.mutagent.io/api"));
    assertTrue(e.getMessage().endsWith("use https://api.mutagent.io"), e.getMessage());
  }

  @Test
  void plainHttpToARemoteHostIsRefusedNamingTheHostAndBothFixes() {
    IllegalArgumentException e = refused(builder(Map.of()).apiKey(SECRET).serverUrl("http://api.mutagent.io"));
    assertEquals("serverUrl 'http://api.mutagent.io' sends the credentials in clear text to "
        + "api.mutagent.io; use https://api.mutagent.io, or set allowInsecureHttp(true) if that host "
        + "is trusted", e.getMessage());
  }

  @Test
  void allowInsecureHttpLetsItThrough() {
    try (Mutagent client = builder(Map.of()).serverUrl("http://10.0.0.5:8080").allowInsecureHttp(true).build()) {
      assertEquals("http://10.0.0.5:8080/", client.core().config.serverUrl.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:3003", "http://LOCALHOST", "http://127.0.0.1:9",
      "http://127.255.0.1", "http://[::1]:3003"})
  void loopbackHostsMayUsePlainHttp(String url) {
    try (Mutagent client = builder(Map.of()).serverUrl(url).build()) {
      assertTrue(client.core().config.serverUrl.toString().startsWith("http://"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1.example.com", "http://128.0.0.1", "http://0.0.0.0",
      "http://localhost.evil.io"})
  void lookalikesAreNotLoopback(String url) {
    refused(builder(Map.of()).serverUrl(url));
  }

  @Test
  void anOrganizationKeyWithoutAWorkspaceIsRefused() {
    IllegalArgumentException e = refused(builder(Map.of()).apiKey(SECRET).keyScope(KeyScope.ORGANIZATION));
    assertEquals("an organization-scoped key needs a workspace id: set workspaceId(\"ws_...\") or "
        + "MUTAGENT_WORKSPACE_ID", e.getMessage());
  }

  @Test
  void aUserKeyNamesWhatIsMissing() {
    assertEquals("a user-scoped key needs a workspace id and an organization id: set "
            + "workspaceId(\"ws_...\") or MUTAGENT_WORKSPACE_ID, and organizationId(\"org_...\") or "
            + "MUTAGENT_ORGANIZATION_ID",
        refused(builder(Map.of()).keyScope(KeyScope.USER)).getMessage());
    assertEquals("a user-scoped key needs an organization id: set organizationId(\"org_...\") or "
            + "MUTAGENT_ORGANIZATION_ID",
        refused(builder(Map.of()).keyScope(KeyScope.USER).workspaceId("ws_1")).getMessage());
  }

  @Test
  void aKeyWithALineBreakIsRefusedWithoutEchoingIt() {
    IllegalArgumentException e = refused(builder(Map.of()).apiKey(SECRET + "\n"));
    assertFalse(e.getMessage().contains("S3CRET"), e.getMessage());
    assertTrue(e.getMessage().contains("position " + SECRET.length()), e.getMessage());
  }

  @Test
  void aNonPositiveTimeoutIsRefused() {
    assertTrue(refused(builder(Map.of()).timeout(Duration.ZERO)).getMessage().startsWith("timeout must be between"));
    // under 1 ms would round to 0, which OkHttp reads as "no timeout"; too large would overflow
    refused(builder(Map.of()).timeout(Duration.ofNanos(500_000)));
    refused(builder(Map.of()).timeout(Duration.ofSeconds(Long.MAX_VALUE)));
    assertThrows(IllegalArgumentException.class, () -> RequestOptions.builder().timeout(Duration.ofNanos(100)));
  }

  @Test
  void aPasswordInAServerUrlThatDoesNotParseIsMaskedToo() {
    IllegalArgumentException e = refused(builder(Map.of()).serverUrl("https://user:hunter2@api.example.com:99999"));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertTrue(e.getMessage().contains("https://***@api.example.com:99999"), e.getMessage());
  }

  @Test
  void requestOptionsRefuseHeadersOkHttpCouldNotSendWithoutEchoingTheValue() {
    IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
        () -> RequestOptions.builder().header("x-trace", "abc\nS3CRET"));
    assertEquals("header 'x-trace' has a character that cannot go in an HTTP header at position 3 "
        + "(a line break or non-ASCII)", value.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RequestOptions.builder().header("bad name", "v"));
    assertThrows(IllegalArgumentException.class, () -> RequestOptions.builder().header("x", null));
  }

  @Test
  void userInfoInTheServerUrlIsRefusedAndNeverEchoed() {
    for (String url : new String[] {"http://proxy:pa55word@gateway.example", "https://user:pa55word@api.mutagent.io/api",
        "https://mt_pa55word@api.mutagent.io", "not a url://user:pa55word@x"}) {
      IllegalArgumentException e = refused(builder(Map.of()).serverUrl(url));
      assertFalse(e.getMessage().contains("pa55word"), e.getMessage());
    }
    assertEquals("serverUrl 'https://***@api.mutagent.io/' has user info (masked here): the SDK "
        + "authenticates with apiKey or bearerToken, never through the URL; use https://api.mutagent.io "
        + "and set the credential with apiKey(...)",
        refused(builder(Map.of()).serverUrl("https://mt_pa55word@api.mutagent.io")).getMessage());
  }

  @Test
  void toStringNeverShowsACredential() {
    try (Mutagent client = builder(Map.of()).apiKey(SECRET).build();
        AsyncMutagent async = TestClients.asyncMutagent().bearerToken("jwt-S3CRET").build()) {
      assertEquals("Mutagent{serverUrl=http://localhost:3003/, auth=x-api-key, keyScope=WORKSPACE, "
          + "timeout=PT1M, maxRetries=2}", client.toString());
      assertFalse(async.toString().contains("S3CRET"), async.toString());
      assertTrue(async.toString().contains("auth=bearer"), async.toString());
    }
  }

  @Test
  void aWorkspaceIdWithAWorkspaceScopedKeyIsRefusedNamingKeyScope() {
    IllegalArgumentException fromCode = refused(builder(Map.of()).apiKey(SECRET).workspaceId("ws_B"));
    assertTrue(fromCode.getMessage().startsWith("workspaceId is set, but keyScope is WORKSPACE"), fromCode.getMessage());
    assertTrue(fromCode.getMessage().contains("keyScope(KeyScope.ORGANIZATION)"), fromCode.getMessage());
    IllegalArgumentException fromEnv = refused(builder(Map.of("MUTAGENT_WORKSPACE_ID", "ws_B")).apiKey(SECRET));
    assertTrue(fromEnv.getMessage().startsWith("MUTAGENT_WORKSPACE_ID is set, but keyScope is WORKSPACE"), fromEnv.getMessage());
    IllegalArgumentException org = refused(builder(Map.of()).apiKey(SECRET).keyScope(KeyScope.ORGANIZATION)
        .workspaceId("ws_1").organizationId("org_1"));
    assertTrue(org.getMessage().startsWith("organizationId is set, but keyScope is ORGANIZATION"), org.getMessage());
    try (Mutagent client = builder(Map.of()).apiKey(SECRET).build()) {
      IllegalArgumentException copy = assertThrows(IllegalArgumentException.class, () -> client.withWorkspace("ws_B"));
      assertTrue(copy.getMessage().contains("keyScope is WORKSPACE"), copy.getMessage());
    }
  }

  @Test
  void retriesAreCheckedAndTwoByDefault() {
    try (Mutagent client = builder(Map.of()).build()) {
      assertEquals(2, client.core().config.maxRetries);
    }
    assertEquals("maxRetries must be between 0 (no retries) and 10, got -1; the default is 2",
        refused(builder(Map.of()).maxRetries(-1)).getMessage());
    assertEquals("maxRetries must be between 0 (no retries) and 10, got 11; the default is 2",
        refused(builder(Map.of()).maxRetries(11)).getMessage());
  }

  @Test
  void aKeyAndAKeySupplierAreOneTooMany() {
    assertEquals("both apiKey and apiKeySupplier are set: keep one",
        refused(builder(Map.of()).apiKey(SECRET).apiKeySupplier(() -> SECRET)).getMessage());
    assertTrue(refused(builder(Map.of()).apiKeySupplier(() -> SECRET).bearerTokenSupplier(() -> "t"))
        .getMessage().startsWith("both an API key"));
  }

  @Test
  void aCopyReplacesTheClientsCredentialOfEitherKind() {
    try (Mutagent keyed = builder(Map.of()).apiKey(SECRET).build();
        Mutagent bearer = builder(Map.of()).bearerToken("jwt-S3CRET").build()) {
      ClientConfig token = keyed.withOptions(b -> b.bearerToken("jwt-new")).core().config;
      assertEquals(null, token.apiKey);
      assertEquals("jwt-new", token.bearerToken);
      ClientConfig tokenSupplier = keyed.withOptions(b -> b.bearerTokenSupplier(() -> "jwt-new")).core().config;
      assertEquals(null, tokenSupplier.apiKey);
      assertEquals("jwt-new", tokenSupplier.bearerTokenSupplier.get());
      ClientConfig keySupplier = keyed.withOptions(b -> b.apiKeySupplier(() -> "mt_new")).core().config;
      assertEquals(null, keySupplier.apiKey, "a supplier replaces the fixed key of the same kind too");
      assertEquals("mt_new", keySupplier.apiKeySupplier.get());
      ClientConfig key = bearer.withOptions(b -> b.apiKey("mt_new")).core().config;
      assertEquals(null, key.bearerToken);
      assertEquals("mt_new", key.apiKey);
      assertEquals(SECRET, keyed.core().config.apiKey, "the original keeps its key");
      assertEquals("jwt-S3CRET", bearer.core().config.bearerToken, "the original keeps its token");
    }
  }

  @Test
  void aCopyThatSetsBothKindsItselfIsRefusedAndNullStillOnlyClears() {
    try (Mutagent keyed = builder(Map.of()).apiKey(SECRET).build()) {
      IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
          () -> keyed.withOptions(b -> b.bearerToken("jwt-S3CRET").apiKey("mt_S3CRET")));
      assertTrue(both.getMessage().startsWith("both an API key (apiKey/apiKeySupplier) and a bearer token"),
          both.getMessage());
      assertFalse(both.getMessage().contains("S3CRET"), both.getMessage());
      assertEquals(null, keyed.withOptions(b -> b.apiKey(null)).core().config.apiKey,
          "apiKey(null) in a copy leaves it without a key, as before");
      assertEquals("jwt-x", keyed.withOptions(b -> b.apiKey(null).bearerToken("jwt-x")).core().config.bearerToken);
      assertEquals(SECRET, keyed.withOptions(b -> b.bearerToken(null)).core().config.apiKey,
          "a setter given null replaces nothing");
    }
  }

  /** The warnings a client logs as it is built, whatever its log level. */
  static java.util.List<String> warningsOfBuilding(Mutagent.Builder builder) {
    java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    System.Logger capture = new System.Logger() {
      @Override
      public String getName() {
        return "capture";
      }

      @Override
      public boolean isLoggable(Level level) {
        return true;
      }

      @Override
      public void log(Level level, java.util.ResourceBundle bundle, String message, Throwable thrown) {
        if (level == Level.WARNING) {
          warnings.add(message);
        }
      }

      @Override
      public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
        log(level, bundle, format, (Throwable) null);
      }
    };
    try (Mutagent client = builder.logger(capture).build()) {
      client.withOptions(b -> b.maxRetries(0)).close(); // a copy warns no more
    }
    return warnings;
  }

  @Test
  void aCredentialOnTheDefaultLocalUrlLogsOneWarningNamingMutagentServerUrl() {
    java.util.List<String> warnings = warningsOfBuilding(Mutagent.builder().environment(Map.of()).apiKey(SECRET));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("MUTAGENT_SERVER_URL") && warnings.get(0).contains("http://localhost:3003")
        && warnings.get(0).contains("https://api.mutagent.io"), warnings.get(0));
    assertFalse(warnings.get(0).contains(SECRET));

    assertEquals(java.util.List.of(), warningsOfBuilding(Mutagent.builder().environment(Map.of()).apiKey(SECRET)
        .serverUrl("http://localhost:3003")), "a URL set on purpose, even the local one");
    assertEquals(java.util.List.of(), warningsOfBuilding(Mutagent.builder().apiKey(SECRET)
        .environment(Map.of("MUTAGENT_SERVER_URL", "https://api.mutagent.io"))), "a URL from the environment");
    assertEquals(java.util.List.of(), warningsOfBuilding(Mutagent.builder().environment(Map.of())),
        "no credential to send");
  }
}
