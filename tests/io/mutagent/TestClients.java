package io.mutagent;

import java.util.Map;

/**
 * Test access to what the public API keeps package-private: builders blind to the process
 * environment. Their environment holds only {@code MUTAGENT_SERVER_URL}, the default local URL, as
 * a developer running the mock would set it: the URL is the default one, but set, so a test
 * client with a key logs no "no server URL was set" warning into the test output.
 */
public final class TestClients {
  private TestClients() {}

  private static final Map<String, String> ENVIRONMENT =
      Map.of("MUTAGENT_SERVER_URL", ClientBuilder.DEFAULT_SERVER_URL);

  /** A blocking-client builder that ignores the process environment (no MUTAGENT_* fallbacks but the URL). */
  public static Mutagent.Builder mutagent() {
    return Mutagent.builder().environment(ENVIRONMENT);
  }

  /** An async-client builder that ignores the process environment (no MUTAGENT_* fallbacks but the URL). */
  public static AsyncMutagent.Builder asyncMutagent() {
    return AsyncMutagent.builder().environment(ENVIRONMENT);
  }
}
