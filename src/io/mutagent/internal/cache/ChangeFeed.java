package io.mutagent.internal.cache;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells the caches made from a client about the writes that client and its copies make: the
 * operations the spec marks {@code x-mutagent-changes} (a prompt's update, new version and delete)
 * publish here when they end, however they end (the server may have acted even when the call
 * failed), and each prompt cache drops its copy of that prompt. One per transport: the copies of
 * a client share it, and a copy's workspace is part of each change. Internal.
 */
public final class ChangeFeed {
  /** What hears the changes. */
  public interface Listener {
    /**
     * Hears that a resource may have changed; must return at once and not throw.
     *
     * @param scope the workspace the write was made in ({@link #scopeOf})
     * @param resource the kind of resource ({@code prompt})
     * @param id the resource's id
     */
    void changed(String scope, String resource, String id);
  }

  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Returns the scope of a client's writes and caches: its workspace id, or "" when its key implies it. */
  public static String scopeOf(@org.jspecify.annotations.Nullable String workspaceId) {
    return workspaceId == null ? "" : workspaceId;
  }

  /** Adds a listener; {@link #remove} takes it off. */
  public void add(Listener listener) {
    listeners.add(listener);
  }

  /** Removes a listener. */
  public void remove(Listener listener) {
    listeners.remove(listener);
  }

  /** Returns how many listeners are registered, for tests. */
  public int size() {
    return listeners.size();
  }

  /** Tells every listener; one that throws does not keep the others from hearing it. */
  public void publish(String scope, String resource, String id) {
    for (Listener listener : listeners) {
      try {
        listener.changed(scope, resource, id);
      } catch (RuntimeException ignored) {
        // A listener is the SDK's own cache and does not throw; the write's caller must not see it if it did.
      }
    }
  }
}
