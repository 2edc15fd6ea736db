package io.mutagent;

import io.mutagent.services.AgentsServiceAsync;
import io.mutagent.services.ApiKeysServiceAsync;
import io.mutagent.services.ExperimentsServiceAsync;
import io.mutagent.services.OptimizationServiceAsync;
import io.mutagent.services.OrganizationsServiceAsync;
import io.mutagent.services.PromptServiceAsync;
import io.mutagent.services.PromptDatasetItemsServiceAsync;
import io.mutagent.services.PromptDatasetsServiceAsync;
import io.mutagent.services.PromptEvaluationsServiceAsync;
import io.mutagent.services.ProvidersServiceAsync;
import io.mutagent.services.TracesServiceAsync;
import io.mutagent.services.WorkspacesServiceAsync;

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
public final class AsyncMutagent implements AutoCloseable {
  private final ClientCore core;
  private final PromptServiceAsync prompt;
  private final PromptDatasetsServiceAsync promptDatasets;
  private final PromptDatasetItemsServiceAsync promptDatasetItems;
  private final PromptEvaluationsServiceAsync promptEvaluations;
  private final OptimizationServiceAsync optimization;
  private final TracesServiceAsync traces;
  private final ExperimentsServiceAsync experiments;
  private final OrganizationsServiceAsync organizations;
  private final WorkspacesServiceAsync workspaces;
  private final AgentsServiceAsync agents;
  private final ProvidersServiceAsync providers;
  private final ApiKeysServiceAsync apiKeys;

  AsyncMutagent(ClientCore core) {
    this.core = core;
    this.prompt = new PromptServiceAsync(core.context);
    this.promptDatasets = new PromptDatasetsServiceAsync(core.context);
    this.promptDatasetItems = new PromptDatasetItemsServiceAsync(core.context);
    this.promptEvaluations = new PromptEvaluationsServiceAsync(core.context);
    this.optimization = new OptimizationServiceAsync(core.context);
    this.traces = new TracesServiceAsync(core.context);
    this.experiments = new ExperimentsServiceAsync(core.context);
    this.organizations = new OrganizationsServiceAsync(core.context);
    this.workspaces = new WorkspacesServiceAsync(core.context);
    this.agents = new AgentsServiceAsync(core.context);
    this.providers = new ProvidersServiceAsync(core.context);
    this.apiKeys = new ApiKeysServiceAsync(core.context);
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

  /** Returns the prompt operations: prompts and their versions, and the playground. */
  public PromptServiceAsync prompt() {
    return prompt;
  }

  /** Returns the promptDatasets operations: datasets of test cases for a prompt. */
  public PromptDatasetsServiceAsync promptDatasets() {
    return promptDatasets;
  }

  /** Returns the promptDatasetItems operations: the items of a dataset. */
  public PromptDatasetItemsServiceAsync promptDatasetItems() {
    return promptDatasetItems;
  }

  /** Returns the promptEvaluations operations: evaluations of a prompt on a dataset. */
  public PromptEvaluationsServiceAsync promptEvaluations() {
    return promptEvaluations;
  }

  /** Returns the optimization operations: prompt optimization jobs. */
  public OptimizationServiceAsync optimization() {
    return optimization;
  }

  /** Returns the traces operations: traces of LLM calls, including the OTLP bridge. */
  public TracesServiceAsync traces() {
    return traces;
  }

  /** Returns the experiments operations: experiments comparing prompt versions on a dataset. */
  public ExperimentsServiceAsync experiments() {
    return experiments;
  }

  /** Returns the organizations operations: the organizations the credentials can see. */
  public OrganizationsServiceAsync organizations() {
    return organizations;
  }

  /** Returns the workspaces operations: workspaces. */
  public WorkspacesServiceAsync workspaces() {
    return workspaces;
  }

  /** Returns the agents operations: agents. */
  public AgentsServiceAsync agents() {
    return agents;
  }

  /** Returns the providers operations: the LLM providers configured for the workspace. */
  public ProvidersServiceAsync providers() {
    return providers;
  }

  /** Returns the apiKeys operations: API keys. */
  public ApiKeysServiceAsync apiKeys() {
    return apiKeys;
  }

  /**
   * Returns a copy of this client with some options changed, e.g.
   * {@code client.withOptions(b -> b.timeout(Duration.ofSeconds(5)).maxRetries(0))}. The copy
   * shares this client's connection pool and threads (making it starts none). Closing the copy
   * cancels its own calls and leaves this client working; closing this client closes the copy
   * too. Every option of the builder can change except the server URL and the OkHttpClient.
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
   * Closes the client. Calls in flight are cancelled and fail with {@link IllegalStateException}
   * (a write may already have reached the server); queued and new calls fail with the same
   * "client is closed" error, and nothing more is sent. For a client made by a builder, this
   * releases the connection pool and threads the SDK created, and closes every copy made from
   * it; an OkHttpClient passed to {@link ClientBuilder#httpClient} stays open. For a copy made by
   * {@link #withOptions} or {@link #withWorkspace}, only the copy closes. The {@code sync()}
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
