package io.mutagent.internal.tracing;

import io.mutagent.internal.http.ClientState;
import io.mutagent.internal.http.Scheduler;
import java.time.Duration;

/**
 * Closes a batcher with its client: {@link #start()} begins sending what it holds at once (a
 * flush), so that every batcher of the client sends at the same time; {@link #finish()} closes it
 * with what is left of its close timeout counted from the start. A client with several batchers
 * thus closes within about the longest close timeout, not their sum. Internal; kept out of
 * {@code io.mutagent}, since the API gate leaves internal types out and could not load a class
 * there that implements one.
 */
public final class CloseWithClient implements ClientState.CloseFirst {
  private final QueuedTraceBatcher batcher;
  private final Duration closeTimeout;
  private final Scheduler clock;
  private volatile boolean started;
  private volatile long startedAt;

  /** Creates the action for a batcher with its close timeout, timed on the client's clock. */
  public CloseWithClient(QueuedTraceBatcher batcher, Duration closeTimeout, Scheduler clock) {
    this.batcher = batcher;
    this.closeTimeout = closeTimeout;
    this.clock = clock;
  }

  @Override
  public void start() {
    startedAt = clock.nanoTime();
    started = true;
    // Its future is the close's to wait for, in finish(); here only the sending starts.
    batcher.flush().whenComplete((flushed, failure) -> { });
  }

  @Override
  public void finish() {
    if (!started) {
      batcher.close();
      return;
    }
    long left = closeTimeout.toNanos() - (clock.nanoTime() - startedAt);
    batcher.close(Duration.ofNanos(Math.max(0, left)));
  }
}
