package io.mutagent;

import java.util.Map;

/** Test access to what the public API keeps package-private: builders blind to the environment. */
public final class TestClients {
  private TestClients() {}

  /** A blocking-client builder that ignores the process environment (no MUTAGENT_* fallbacks). */
  public static Mutagent.Builder mutagent() {
    return Mutagent.builder().environment(Map.of());
  }

  /** An async-client builder that ignores the process environment. */
  public static AsyncMutagent.Builder asyncMutagent() {
    return AsyncMutagent.builder().environment(Map.of());
  }
}
