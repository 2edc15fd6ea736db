package io.mutagent;

import io.mutagent.internal.cache.FuturePromptCache;
import io.mutagent.prompts.AsyncPromptCache;
import io.mutagent.prompts.PromptCacheOptions;
import io.mutagent.tracing.TraceBatcher;
import io.mutagent.tracing.TraceBatcherOptions;

/**
 * The asynchronous MutagenT client: every operation returns a
 * {@link java.util.concurrent.CompletableFuture} built on OkHttp's own async call, so no thread
 * waits per request; cancelling a future cancels its HTTP call. Futures complete on OkHttp's
 * dispatcher threads (hand slow work to your own executor with the {@code *Async} stages) and fail
 * with the same exceptions {@link Mutagent} throws.
 *
 * <pre>{@code
 * try (AsyncMutagent client = AsyncMutagent.builder().apiKey("mt_...").build()) {
 *   client.prompt().listPrompts().thenAccept(page -> System.out.println(page.data().size())).join();
 * }
 * }</pre>
 *
 * <p>Thread-safe; make one and share it. Close it when done: {@link #close()} releases the
 * connection pool and threads the SDK created.
 */
public final class AsyncMutagent extends AsyncNamespaces implements AutoCloseable {
  private final ClientCore core;

  AsyncMutagent(ClientCore core) {
    super(core.context);
    this.core = core;
  }

  /** Returns the shared configuration and transport; for tests and the sibling client. */
  ClientCore core() {
    return core;
  }

  /** Returns a builder; unset options fall back to environment variables (see {@link ClientBuilder}). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a client configured from the environment only ({@code MUTAGENT_API_KEY},
   * {@code MUTAGENT_SERVER_URL}, {@code MUTAGENT_WORKSPACE_ID}, {@code MUTAGENT_ORGANIZATION_ID}).
   *
   * @throws IllegalArgumentException if the environment holds an invalid value
   */
  public static AsyncMutagent fromEnv() {
    return builder().build();
  }

  /**
   * Returns a copy of this client with some options changed, e.g.
   * {@code client.withOptions(b -> b.timeout(Duration.ofSeconds(5)).maxRetries(0))}. The copy
   * shares this client's connection pool and threads (making it starts none). Closing the copy
   * cancels its own calls and leaves this client working; closing this client closes the copy
   * too. Every option of the builder can change except the server URL and the OkHttpClient. A
   * credential replaces this client's of either kind: {@code withOptions(b -> b.bearerToken(t))}
   * on a client with an API key sends only the token.
   *
   * @throws IllegalArgumentException if {@code change} sets an invalid option, changes serverUrl or
   *     httpClient, or is null
   * @throws IllegalStateException if this client is closed
   */
  public AsyncMutagent withOptions(java.util.function.Consumer<Builder> change) {
    if (change == null) {
      throw new IllegalArgumentException("change must not be null: pass e.g. b -> b.maxRetries(0)");
    }
    core.state.ensureOpen();
    Builder builder = new Builder().from(core.config);
    change.accept(builder);
    return new AsyncMutagent(core.derive(builder.derivedConfig(core.config)));
  }

  /**
   * Returns a copy of this client that acts on another workspace ({@code x-workspace-id}); the
   * same as {@code withOptions(b -> b.workspaceId(workspaceId))}. Only organization- and
   * user-scoped keys can choose a workspace.
   *
   * @throws IllegalArgumentException if the id is null or blank, or the key scope is WORKSPACE
   * @throws IllegalStateException if this client is closed
   */
  public AsyncMutagent withWorkspace(String workspaceId) {
    ClientBuilder.requireId("workspaceId", workspaceId);
    return withOptions(b -> b.workspaceId(workspaceId));
  }

  /**
   * Returns the blocking view of this client: same configuration, same connection pool and
   * threads (closing either closes both).
   */
  public Mutagent sync() {
    return new Mutagent(core);
  }

  /**
   * Returns a new trace batcher with the default options: see {@link #traceBatcher(TraceBatcherOptions)}.
   *
   * @throws IllegalStateException if this client is closing or closed
   */
  public TraceBatcher traceBatcher() {
    return traceBatcher(TraceBatcherOptions.defaults());
  }

  /**
   * Returns a new trace batcher: {@code add(trace)} queues a trace and returns at once, and one
   * thread of the SDK sends the queue in {@code ingestTraces} batches of up to 100, through this
   * client (its retries, rate limit and logging; each batch is background work). Closing this
   * client closes the batcher first, which sends what it holds within its close timeout. Make one
   * per application and share it: each batcher has its own queue and thread.
   *
   * @throws IllegalArgumentException if options is null
   * @throws IllegalStateException if this client is closing or closed
   */
  public TraceBatcher traceBatcher(TraceBatcherOptions options) {
    return TraceBatchers.create(core, options);
  }

  /**
   * Returns what the client's rate limiter knows now of the window its credential draws on: the
   * server's last limit, remaining count and reset, the calls waiting and in flight, and the
   * requests counted today (shared with its copies and views). Sends nothing.
   */
  public io.mutagent.ratelimit.RateLimitStatus rateLimitStatus() {
    return core.runner.rateLimitStatus();
  }

  /**
   * Returns a prompt cache with the default options ({@link PromptCacheOptions#defaults()}): prompts of
   * this client's workspace served from memory for 10 minutes, then refreshed in the background.
   * See {@link AsyncPromptCache}.
   *
   * @throws IllegalStateException if this client is closed
   */
  public AsyncPromptCache promptCache() {
    return promptCache(PromptCacheOptions.defaults());
  }

  /**
   * Returns a prompt cache over this client: prompts of this client's workspace, fetched through
   * it, served from memory by the options' TTL and refreshed in the background; this client's
   * (and its copies') updates, new versions and deletes of a prompt drop it from the cache.
   * Closing this client closes the cache. See {@link AsyncPromptCache}.
   *
   * @throws IllegalArgumentException if options is null
   * @throws IllegalStateException if this client is closed
   */
  public AsyncPromptCache promptCache(PromptCacheOptions options) {
    return new FuturePromptCache(core.promptCacheEngine(options));
  }

  /**
   * Closes the client. Calls in flight are cancelled and fail with {@link IllegalStateException}
   * (a write may already have reached the server); queued and new calls fail with the same
   * "client is closed" error, and nothing more is sent. For a client made by a builder, this
   * releases the connection pool and threads the SDK created, and closes every copy made from
   * it; an OkHttpClient passed to {@link ClientBuilder#httpClient} stays open. For a copy made by
   * {@link #withOptions} or {@link #withWorkspace}, only the copy closes. First, before any call
   * ends, it closes the trace batchers made from this client (and, for a client made by a builder,
   * from its copies): each sends what it holds within its close timeout, so close may take that
   * long. The {@code sync()}
   * view is the same client. Calling it again does nothing.
   */
  @Override
  public void close() {
    core.state.close();
  }

  /** Describes the configuration: server, auth method, scope and ids, never a credential. */
  @Override
  public String toString() {
    return "AsyncMutagent" + core.config;
  }

  /** Builds a {@link AsyncMutagent}; see {@link ClientBuilder} for the options. */
  public static final class Builder extends ClientBuilder<Builder, AsyncMutagent> {
    Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Returns the client.
     *
     * @throws IllegalArgumentException if an option is invalid or options conflict; the message
     *     names the option and the fix
     */
    @Override
    public AsyncMutagent build() {
      return new AsyncMutagent(ClientCore.create(config()));
    }
  }
}
