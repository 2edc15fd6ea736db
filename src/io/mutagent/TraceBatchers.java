package io.mutagent;

import io.mutagent.internal.http.ClientState;
import io.mutagent.internal.http.GuardedLogger;
import io.mutagent.internal.tracing.CloseWithClient;
import io.mutagent.internal.tracing.QueuedTraceBatcher;
import io.mutagent.tracing.TraceBatcher;
import io.mutagent.tracing.TraceBatcherOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes the trace batchers of both clients: {@code client.traceBatcher(options)}. */
final class TraceBatchers {
  /** Numbers the sender threads' names ({@code mutagent-traces-3}), as Resources numbers clients. */
  private static final AtomicInteger BATCHERS = new AtomicInteger();

  private TraceBatchers() {}

  /**
   * Returns a batcher that sends through the client's async {@code ingestTraces}, registered to
   * close first when the client closes.
   *
   * @throws IllegalArgumentException if options is null
   * @throws IllegalStateException if the client is closing or closed
   */
  static TraceBatcher create(ClientCore core, TraceBatcherOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null: pass TraceBatcherOptions.defaults()");
    }
    core.state.ensureOpen();
    AsyncMutagent client = new AsyncMutagent(core);
    QueuedTraceBatcher batcher = new QueuedTraceBatcher(options,
        (request, callOptions) -> client.traces().ingestTraces(request, callOptions), core.scheduler(),
        GuardedLogger.of(core.config.logger), "mutagent-traces-" + BATCHERS.incrementAndGet());
    ClientState.CloseFirst closeFirst = new CloseWithClient(batcher, options.closeTimeout(), core.scheduler());
    batcher.onClose(() -> core.state.forgetCloseFirst(closeFirst));
    if (!core.state.closeFirst(closeFirst)) {
      batcher.close(Duration.ZERO);
      throw new IllegalStateException("this MutagenT client is closing or closed; make the trace batcher from an "
          + "open client");
    }
    return batcher;
  }
}
