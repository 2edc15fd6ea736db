package io.mutagent.internal.http;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether one client is open. A client built by a builder owns its {@link Resources}: closing it
 * releases them, which closes every copy made from it too. A copy ({@code withOptions},
 * {@code withWorkspace}) has its own state: closing it cancels its own calls in flight and refuses
 * new ones, and leaves the client it came from working. Internal.
 *
 * <p>What is made from a client and holds work for it (a trace batcher's queued traces) registers
 * with {@link #closeFirst}: {@link #close()} runs those actions first, while calls still go out,
 * and only then ends the client's calls. They close together: every one is started, then each is
 * finished, so that a client with several batchers closes within about the longest close timeout,
 * not their sum.
 */
public final class ClientState {
  /**
   * Closes something made from a client when the client closes, in two steps: {@link #start()}
   * of every such thing first, then {@link #finish()} of each.
   */
  public interface CloseFirst {
    /** Starts closing without waiting (a batcher starts sending what it holds); must not block. */
    default void start() {}

    /**
     * Ends closing, waiting at most until its own deadline counted from {@link #start()} (or from
     * now when start was not called); returns at once when the thread is interrupted.
     */
    void finish();
  }

  private final Resources resources;
  private final boolean ownsResources;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private ClientState(Resources resources, boolean ownsResources) {
    this.resources = resources;
    this.ownsResources = ownsResources;
  }

  /** Returns the state of a client that owns its resources. */
  public static ClientState root(Resources resources) {
    return new ClientState(resources, true);
  }

  /** Returns the state of a copy that shares these resources without owning them. */
  public ClientState derive() {
    return new ClientState(resources, false);
  }

  /** Returns the shared resources. */
  public Resources resources() {
    return resources;
  }

  /** Returns whether this client, or the one that owns its resources, is closed. */
  public boolean isClosed() {
    return closed.get() || resources.isClosed();
  }

  /**
   * Fails when the client is closed.
   *
   * @throws IllegalStateException if this client or the one it was made from is closed
   */
  public void ensureOpen() {
    if (isClosed()) {
      throw closedError(false);
    }
  }

  /** Returns the error for a call refused or cut short because the client is closed. */
  IllegalStateException closedError(boolean wasInFlight) {
    return new IllegalStateException(wasInFlight
        ? "this MutagenT client was closed while the call was in flight; the call was cancelled "
            + "(a write may already have reached the server)"
        : closed.get()
            ? "this MutagenT client is closed; build a new one (Mutagent.builder()...build())"
            : "the MutagenT client this one was made from is closed; build a new one "
                + "(Mutagent.builder()...build())");
  }

  /**
   * Registers an action that closes something made from this client, such as a trace batcher
   * (which sends what it holds within its own timeout): {@link #close()} runs it before it ends
   * the calls, and so does closing the client that owns the resources, for what a copy made.
   * Returns false, registering nothing, when this client is already closing or closed.
   */
  public boolean closeFirst(CloseFirst action) {
    resources.addCloseFirst(action, this);
    if (closing.get() || isClosed()) {
      resources.removeCloseFirst(action);
      return false;
    }
    return true;
  }

  /** Forgets an action registered with {@link #closeFirst} (what it closes was closed on its own). */
  public void forgetCloseFirst(CloseFirst action) {
    resources.removeCloseFirst(action);
  }

  /**
   * Closes: first runs the close-first actions (of this client, and for the owner of every copy
   * too), while calls still go out; then cancels this client's calls in flight and, for the owner,
   * releases the resources.
   */
  public void close() {
    if (closing.compareAndSet(false, true)) {
      resources.runCloseFirst(ownsResources ? null : this);
      closed.set(true);
      if (ownsResources) {
        resources.close();
      } else {
        resources.cancel(this);
      }
    }
  }
}
