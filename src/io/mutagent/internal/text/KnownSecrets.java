package io.mutagent.internal.text;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * The credentials a client (and its copies) have sent, so that whatever text the SDK builds from
 * server data can mask them: the configured ones, and the last few a supplier returned (a rotated
 * key is still masked when a server echoes the old one). Thread-safe. Internal.
 */
public final class KnownSecrets {
  private static final int REMEMBERED = 8;

  private final Deque<String> secrets = new ArrayDeque<>();
  private volatile List<String> snapshot = List.of();

  /** Notes a credential as sent; cheap when it is the last one noted. */
  public void add(String secret) {
    if (secret == null || secret.isEmpty()) {
      return;
    }
    List<String> current = snapshot;
    if (!current.isEmpty() && current.get(current.size() - 1).equals(secret)) {
      return;
    }
    synchronized (secrets) {
      secrets.remove(secret);
      secrets.addLast(secret);
      while (secrets.size() > REMEMBERED) {
        secrets.removeFirst();
      }
      snapshot = List.copyOf(new ArrayList<>(secrets));
    }
  }

  /** Returns the credentials to mask, most recent last. */
  public Collection<String> all() {
    return snapshot;
  }
}
