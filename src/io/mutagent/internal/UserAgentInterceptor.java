package io.mutagent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Names the SDK in {@code User-Agent} ({@code mutagent-java/0.1.0 (Java 17; Linux)}) unless the
 * request already sets one. Internal.
 */
public final class UserAgentInterceptor implements Interceptor {
  /** The SDK's version, from the jar's build metadata. */
  public static final String VERSION = readVersion();
  private static final String USER_AGENT = "mutagent-java/" + VERSION + " (Java "
      + System.getProperty("java.specification.version") + "; " + System.getProperty("os.name") + ")";

  @Override
  public Response intercept(Chain chain) throws IOException {
    if (chain.request().header("User-Agent") != null) {
      return chain.proceed(chain.request());
    }
    return chain.proceed(chain.request().newBuilder().header("User-Agent", USER_AGENT).build());
  }

  private static String readVersion() {
    try (InputStream in = UserAgentInterceptor.class.getResourceAsStream("/io/mutagent/version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
