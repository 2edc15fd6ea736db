package io.mutagent.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends the workspace and organization ids a scoped key needs, as {@code x-workspace-id} and
 * {@code x-organization-id}, on every request. An id that is not configured is not sent. Internal.
 */
public final class ScopeHeadersInterceptor implements Interceptor {
  private final String workspaceId;
  private final String organizationId;

  /** Creates the interceptor; either id may be null. */
  public ScopeHeadersInterceptor(String workspaceId, String organizationId) {
    this.workspaceId = workspaceId;
    this.organizationId = organizationId;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request.Builder request = chain.request().newBuilder();
    if (workspaceId != null) {
      request.header("x-workspace-id", workspaceId);
    }
    if (organizationId != null) {
      request.header("x-organization-id", organizationId);
    }
    return chain.proceed(request.build());
  }
}
