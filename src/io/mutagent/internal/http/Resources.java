package io.mutagent.internal.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import retrofit2.Call;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP resources a client and the copies made from it share: one OkHttpClient (connection
 * pool and dispatcher threads), whether they are released, and the calls in flight. Resources the
 * SDK created are released on {@link #close()}; an OkHttpClient the user passed in is never shut
 * down, but the SDK's calls on it are still cancelled. Internal.
 */
public final class Resources {
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final OkHttpClient base;
  private final boolean owned;
  private final @Nullable String threadNamePrefix;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<Call<?>, ClientState> inFlight = new ConcurrentHashMap<>();

  private Resources(OkHttpClient base, boolean owned, @Nullable String threadNamePrefix) {
    this.base = base;
    this.owned = owned;
    this.threadNamePrefix = threadNamePrefix;
  }

  /**
   * Returns resources over the user's client (shared, never closed by us), or new ones the SDK owns
   * when {@code userClient} is null.
   */
  public static Resources create(@Nullable OkHttpClient userClient) {
    if (userClient != null) {
      return new Resources(userClient, false, null);
    }
    String prefix = "mutagent-http-" + CLIENTS.incrementAndGet() + "-";
    Dispatcher dispatcher = new Dispatcher(dispatcherThreads(prefix));
    // Every request goes to one host; OkHttp's default of 5 per host would queue the rest. At
    // most MAX_CONCURRENT calls run at once; more wait in the dispatcher's queue.
    dispatcher.setMaxRequests(MAX_CONCURRENT);
    dispatcher.setMaxRequestsPerHost(MAX_CONCURRENT);
    return new Resources(new OkHttpClient.Builder().dispatcher(dispatcher).build(), true, prefix);
  }

  /** The most async calls the SDK's own dispatcher runs at once (OkHttp's default total). */
  public static final int MAX_CONCURRENT = 64;

  /**
   * Returns the executor OkHttp's dispatcher runs async calls on. OkHttp runs each call in flight
   * on one of its threads, blocking in socket reads. On Java 21 and later (found at run time: the
   * jar stays Java 11) those are virtual threads, so calls in flight cost no platform threads
   * beyond the JVM's small carrier pool; before Java 21 they are daemon platform threads, at most
   * about {@link #MAX_CONCURRENT} (the dispatcher's limit), each ended after 60 s idle.
   */
  static ExecutorService dispatcherThreads(String prefix) {
    ExecutorService virtual = virtualThreads(prefix);
    if (virtual != null) {
      return virtual;
    }
    AtomicInteger threads = new AtomicInteger();
    // No bound of its own: the dispatcher runs at most MAX_CONCURRENT calls, and a thread that
    // has just handed its call back may still be busy for a moment when the next one starts.
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, prefix + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Returns a thread-per-task executor of named virtual threads, or null before Java 21. */
  private static @Nullable ExecutorService virtualThreads(String prefix) {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
      java.util.concurrent.ThreadFactory factory =
          (java.util.concurrent.ThreadFactory) builderType.getMethod("factory").invoke(builder);
      return (ExecutorService) java.util.concurrent.Executors.class
          .getMethod("newThreadPerTaskExecutor", java.util.concurrent.ThreadFactory.class).invoke(null, factory);
    } catch (ReflectiveOperationException | RuntimeException beforeJava21) {
      return null;
    }
  }

  /**
   * Returns the name prefix of the dispatcher threads the SDK created for these resources
   * ({@code mutagent-http-3-}), or null when they belong to the user's client.
   */
  public @Nullable String threadNamePrefix() {
    return threadNamePrefix;
  }

  /** Returns the client to derive the SDK's OkHttpClient from ({@code newBuilder()}). */
  public OkHttpClient base() {
    return base;
  }

  /** Returns whether {@link #close()} was called. */
  boolean isClosed() {
    return closed.get();
  }

  /** Notes a call as in flight for the client state that made it, so that closing can cancel it. */
  void started(Call<?> call, ClientState owner) {
    inFlight.put(call, owner);
  }

  /** Forgets a finished call; once closed, also drops any connection it left in the SDK's pool. */
  void finished(Call<?> call) {
    inFlight.remove(call);
    if (closed.get() && owned) {
      base.connectionPool().evictAll();
    }
  }

  /** Cancels the calls in flight of one client state (a derived client being closed). */
  void cancel(ClientState owner) {
    inFlight.forEach((call, state) -> {
      if (state == owner) {
        call.cancel();
      }
    });
  }

  /**
   * Marks the resources released, cancels every call in flight and queued, and releases what the
   * SDK created: dispatcher threads and pooled connections. Idempotent.
   */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    inFlight.keySet().forEach(Call::cancel);
    if (owned) {
      base.dispatcher().cancelAll();
      base.dispatcher().executorService().shutdown();
      base.connectionPool().evictAll();
    }
  }
}
