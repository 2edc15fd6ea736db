package io.mutagent.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The HTTP resources a client and its copies share: one OkHttpClient (connection pool and
 * dispatcher threads) and whether the client is closed. Resources the SDK created are released on
 * {@link #close()}; an OkHttpClient the user passed in is never shut down. Internal.
 */
public final class Resources implements AutoCloseable {
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final OkHttpClient base;
  private final boolean owned;
  private final AtomicBoolean closed = new AtomicBoolean();

  private final String threadNamePrefix;

  private Resources(OkHttpClient base, boolean owned, String threadNamePrefix) {
    this.base = base;
    this.owned = owned;
    this.threadNamePrefix = threadNamePrefix;
  }

  /**
   * Returns resources over the user's client (shared, never closed by us), or new ones the SDK owns
   * when {@code userClient} is null.
   */
  public static Resources create(OkHttpClient userClient) {
    if (userClient != null) {
      return new Resources(userClient, false, null);
    }
    String prefix = "mutagent-http-" + CLIENTS.incrementAndGet() + "-";
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, prefix + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    Dispatcher dispatcher = new Dispatcher(executor);
    // Every request goes to one host; OkHttp's default of 5 per host would queue the rest.
    dispatcher.setMaxRequestsPerHost(dispatcher.getMaxRequests());
    return new Resources(new OkHttpClient.Builder().dispatcher(dispatcher).build(), true, prefix);
  }

  /**
   * Returns the name prefix of the dispatcher threads the SDK created for these resources
   * ({@code mutagent-http-3-}), or null when they belong to the user's client.
   */
  public String threadNamePrefix() {
    return threadNamePrefix;
  }

  /** Returns the client to derive each SDK client's OkHttpClient from ({@code newBuilder()}). */
  public OkHttpClient base() {
    return base;
  }

  /**
   * Fails when the client is closed.
   *
   * @throws IllegalStateException if {@link #close()} was called
   */
  public void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException(
          "this MutagenT client is closed; build a new one (Mutagent.builder()...build())");
    }
  }

  /** Marks the client closed and releases what the SDK created: dispatcher threads and pool. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && owned) {
      base.dispatcher().executorService().shutdown();
      base.connectionPool().evictAll();
    }
  }
}
