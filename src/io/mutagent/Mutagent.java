package io.mutagent;

import io.mutagent.services.AgentsService;
import io.mutagent.services.ApiKeysService;
import io.mutagent.services.ExperimentsService;
import io.mutagent.services.OptimizationService;
import io.mutagent.services.OrganizationsService;
import io.mutagent.services.PromptService;
import io.mutagent.services.PromptDatasetItemsService;
import io.mutagent.services.PromptDatasetsService;
import io.mutagent.services.PromptEvaluationsService;
import io.mutagent.services.ProvidersService;
import io.mutagent.services.TracesService;
import io.mutagent.services.WorkspacesService;

/**
 * The blocking MutagenT client. Each namespace ({@link #prompt()}, {@link #traces()}, ...) has one
 * method per API operation; a method returns the parsed response or throws an unchecked
 * {@link io.mutagent.errors.MutagentException}.
 *
 * <pre>{@code
 * try (Mutagent client = Mutagent.builder().apiKey("mt_...").build()) {
 *   PromptPage page = client.prompt().listPrompts();
 * }
 * }</pre>
 *
 * <p>Thread-safe; make one and share it. Close it when done: {@link #close()} releases the
 * connection pool and threads the SDK created.
 */
public final class Mutagent implements AutoCloseable {
  private final ClientCore core;
  private final PromptService prompt;
  private final PromptDatasetsService promptDatasets;
  private final PromptDatasetItemsService promptDatasetItems;
  private final PromptEvaluationsService promptEvaluations;
  private final OptimizationService optimization;
  private final TracesService traces;
  private final ExperimentsService experiments;
  private final OrganizationsService organizations;
  private final WorkspacesService workspaces;
  private final AgentsService agents;
  private final ProvidersService providers;
  private final ApiKeysService apiKeys;

  Mutagent(ClientCore core) {
    this.core = core;
    this.prompt = new PromptService(core.context);
    this.promptDatasets = new PromptDatasetsService(core.context);
    this.promptDatasetItems = new PromptDatasetItemsService(core.context);
    this.promptEvaluations = new PromptEvaluationsService(core.context);
    this.optimization = new OptimizationService(core.context);
    this.traces = new TracesService(core.context);
    this.experiments = new ExperimentsService(core.context);
    this.organizations = new OrganizationsService(core.context);
    this.workspaces = new WorkspacesService(core.context);
    this.agents = new AgentsService(core.context);
    this.providers = new ProvidersService(core.context);
    this.apiKeys = new ApiKeysService(core.context);
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
  public static Mutagent fromEnv() {
    return builder().build();
  }

  /** Returns the prompt operations: prompts and their versions, and the playground. */
  public PromptService prompt() {
    return prompt;
  }

  /** Returns the promptDatasets operations: datasets of test cases for a prompt. */
  public PromptDatasetsService promptDatasets() {
    return promptDatasets;
  }

  /** Returns the promptDatasetItems operations: the items of a dataset. */
  public PromptDatasetItemsService promptDatasetItems() {
    return promptDatasetItems;
  }

  /** Returns the promptEvaluations operations: evaluations of a prompt on a dataset. */
  public PromptEvaluationsService promptEvaluations() {
    return promptEvaluations;
  }

  /** Returns the optimization operations: prompt optimization jobs. */
  public OptimizationService optimization() {
    return optimization;
  }

  /** Returns the traces operations: traces of LLM calls, including the OTLP bridge. */
  public TracesService traces() {
    return traces;
  }

  /** Returns the experiments operations: experiments comparing prompt versions on a dataset. */
  public ExperimentsService experiments() {
    return experiments;
  }

  /** Returns the organizations operations: the organizations the credentials can see. */
  public OrganizationsService organizations() {
    return organizations;
  }

  /** Returns the workspaces operations: workspaces. */
  public WorkspacesService workspaces() {
    return workspaces;
  }

  /** Returns the agents operations: agents. */
  public AgentsService agents() {
    return agents;
  }

  /** Returns the providers operations: the LLM providers configured for the workspace. */
  public ProvidersService providers() {
    return providers;
  }

  /** Returns the apiKeys operations: API keys. */
  public ApiKeysService apiKeys() {
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
  public Mutagent withOptions(java.util.function.Consumer<Builder> change) {
    if (change == null) {
      throw new IllegalArgumentException("change must not be null: pass e.g. b -> b.maxRetries(0)");
    }
    core.state.ensureOpen();
    Builder builder = new Builder().from(core.config);
    change.accept(builder);
    return new Mutagent(core.derive(builder.derivedConfig(core.config)));
  }

  /**
   * Returns a copy of this client that acts on another workspace ({@code x-workspace-id}); the
   * same as {@code withOptions(b -> b.workspaceId(workspaceId))}. Only organization- and
   * user-scoped keys can choose a workspace.
   *
   * @throws IllegalArgumentException if the id is null or blank, or the key scope is WORKSPACE
   * @throws IllegalStateException if this client is closed
   */
  public Mutagent withWorkspace(String workspaceId) {
    ClientBuilder.requireId("workspaceId", workspaceId);
    return withOptions(b -> b.workspaceId(workspaceId));
  }

  /**
   * Returns the asynchronous view of this client: same configuration, same connection pool and
   * threads (closing either closes both).
   */
  public AsyncMutagent async() {
    return new AsyncMutagent(core);
  }

  /**
   * Closes the client. Calls in flight are cancelled and fail with {@link IllegalStateException}
   * (a write may already have reached the server); queued and new calls fail with the same
   * "client is closed" error, and nothing more is sent. For a client made by a builder, this
   * releases the connection pool and threads the SDK created, and closes every copy made from
   * it; an OkHttpClient passed to {@link ClientBuilder#httpClient} stays open. For a copy made by
   * {@link #withOptions} or {@link #withWorkspace}, only the copy closes. The {@code async()}
   * view is the same client. Calling it again does nothing.
   */
  @Override
  public void close() {
    core.state.close();
  }

  /** Describes the configuration: server, auth method, scope and ids, never a credential. */
  @Override
  public String toString() {
    return "Mutagent" + core.config;
  }

  /** Builds a {@link Mutagent}; see {@link ClientBuilder} for the options. */
  public static final class Builder extends ClientBuilder<Builder, Mutagent> {
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
    public Mutagent build() {
      return new Mutagent(ClientCore.create(config()));
    }
  }
}
