package io.mutagent.internal.http;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether one client is open. A client built by a builder owns its {@link Resources}: closing it
 * releases them, which closes every copy made from it too. A copy ({@code withOptions},
 * {@code withWorkspace}) has its own state: closing it cancels its own calls in flight and refuses
 * new ones, and leaves the client it came from working. Internal.
 */
public final class ClientState {
  private final Resources resources;
  private final boolean ownsResources;
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

  /** Closes: cancels this client's calls in flight and, for the owner, releases the resources. */
  public void close() {
    if (closed.compareAndSet(false, true)) {
      if (ownsResources) {
        resources.close();
      } else {
        resources.cancel(this);
      }
    }
  }
}
