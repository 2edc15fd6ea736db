package io.mutagent.internal.http;

import io.mutagent.RequestOptions;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one call, made once before its first attempt and shared by all its attempts:
 * the client's settings with the call's {@link RequestOptions} laid over them, the deadline, and
 * the call's idempotency key. Never shared between calls. Internal.
 */
final class CallPlan {
  /** Connecting never waits longer than this per attempt, whatever the call's timeout. */
  static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  final ClientSettings client;
  final RequestOptions options;
  final @Nullable String workspaceId;
  final @Nullable String organizationId;
  final int maxRetries;
  /** The deadline on the {@link Scheduler#nanoTime()} scale, or Long.MAX_VALUE for none. */
  final long deadline;
  /** Per-attempt connect/read/write timeouts in ms, or 0 to leave the OkHttpClient's. */
  final int connectMillis;
  final int socketMillis;
  /** Made on first use (a POST or PATCH), then the same on every attempt. */
  private @Nullable String idempotencyKey;

  private CallPlan(ClientSettings client, RequestOptions options, @Nullable String workspaceId,
      @Nullable String organizationId,
      int maxRetries, long deadline, int connectMillis, int socketMillis) {
    this.client = client;
    this.options = options;
    this.workspaceId = workspaceId;
    this.organizationId = organizationId;
    this.maxRetries = maxRetries;
    this.deadline = deadline;
    this.connectMillis = connectMillis;
    this.socketMillis = socketMillis;
    this.idempotencyKey = options.idempotencyKey().orElse(null);
  }

  /**
   * Plans a call.
   *
   * @param clientCallTimeoutMillis the OkHttpClient's own call timeout (0 for none), used when
   *     neither the client nor the call sets a timeout
   * @throws IllegalArgumentException if the options choose a workspace or organization the key's
   *     scope cannot choose
   */
  static CallPlan create(ClientSettings client, RequestOptions options, long nowNanos, int clientCallTimeoutMillis) {
    if (options.workspaceId().isPresent() && !client.workspaceSelectable) {
      throw new IllegalArgumentException("RequestOptions.workspaceId is set, but the client's keyScope is "
          + client.keyScope + ": a workspace-scoped key acts on its own workspace and the API ignores "
          + "x-workspace-id. Use a client built with keyScope(KeyScope.ORGANIZATION) or USER to choose "
          + "the workspace per call, or a key of that workspace");
    }
    if (options.organizationId().isPresent() && !client.organizationSelectable) {
      throw new IllegalArgumentException("RequestOptions.organizationId is set, but the client's keyScope is "
          + client.keyScope + ": only a user-scoped key (keyScope(KeyScope.USER)) names the organization");
    }
    Duration timeout = options.timeout().orElse(client.timeout);
    boolean socket = options.timeout().isPresent() || client.socketTimeouts;
    if (timeout == null && clientCallTimeoutMillis > 0) {
      timeout = Duration.ofMillis(clientCallTimeoutMillis);
    }
    long deadline = timeout == null ? Long.MAX_VALUE : nowNanos + timeout.toNanos();
    int socketMillis = socket && timeout != null ? (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()) : 0;
    int connectMillis = socketMillis == 0 ? 0 : (int) Math.min(socketMillis, MAX_CONNECT_TIMEOUT.toMillis());
    return new CallPlan(client, options,
        options.workspaceId().orElse(client.workspaceId),
        options.organizationId().orElse(client.organizationId),
        options.maxRetries().orElse(client.maxRetries), deadline, connectMillis, socketMillis);
  }

  /** Returns the call's idempotency key, making a random one the first time. */
  String idempotencyKey() {
    if (idempotencyKey == null) {
      idempotencyKey = UUID.randomUUID().toString();
    }
    return idempotencyKey;
  }
}
