package io.mutagent.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import retrofit2.Call;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP resources a client and the copies made from it share: one OkHttpClient (connection
 * pool and dispatcher threads), whether they are released, the calls in flight and the calls
 * waiting between attempts, the {@link DeadlineWatch} that ends calls at their deadline, and the
 * {@link SystemScheduler} whose timer schedules the async client's next attempts. Resources the
 * SDK created are released on {@link #close()}; an OkHttpClient the user passed in is never shut
 * down, but the SDK's calls on it are still cancelled. Internal.
 */
public final class Resources {
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final OkHttpClient base;
  private final boolean owned;
  private final @Nullable String threadNamePrefix;
  private final @Nullable String housekeepingThreadName;
  /** The thread that cleans the SDK's own connection pool (see PoolHousekeeping), or null. */
  private final @Nullable ExecutorService housekeeping;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<Call<?>, Attempt> inFlight = new ConcurrentHashMap<>();
  private final Set<RetryWait> waiting = ConcurrentHashMap.newKeySet();
  /** What must close before calls end (see ClientState#closeFirst), with the client state it was made from. */
  private final Map<ClientState.CloseFirst, ClientState> closeFirst = new ConcurrentHashMap<>();
  private final String deadlineThreadName;
  private final DeadlineWatch deadlines;
  private final String retryThreadName;
  private final SystemScheduler scheduler;

  private Resources(OkHttpClient base, boolean owned, int id, @Nullable String threadNamePrefix,
      @Nullable String housekeepingThreadName, @Nullable ExecutorService housekeeping) {
    this.base = base;
    this.owned = owned;
    this.threadNamePrefix = threadNamePrefix;
    this.housekeepingThreadName = housekeepingThreadName;
    this.housekeeping = housekeeping;
    this.deadlineThreadName = "mutagent-deadlines-" + id;
    this.deadlines = new DeadlineWatch(inFlight, watchThread(deadlineThreadName),
        TimeUnit.SECONDS.toNanos(DeadlineWatch.IDLE_SECONDS));
    this.retryThreadName = "mutagent-retries-" + id;
    this.scheduler = new SystemScheduler(retryThreadName);
  }

  /**
   * Returns resources over the user's client (shared, never closed by us), or new ones the SDK owns
   * when {@code userClient} is null.
   */
  public static Resources create(@Nullable OkHttpClient userClient) {
    int id = CLIENTS.incrementAndGet();
    if (userClient != null) {
      return new Resources(userClient, false, id, null, null, null);
    }
    String prefix = "mutagent-http-" + id + "-";
    Dispatcher dispatcher = new Dispatcher(dispatcherThreads(prefix));
    // Every request goes to one host; OkHttp's default of 5 per host would queue the rest. At
    // most MAX_CONCURRENT calls run at once; more wait in the dispatcher's queue.
    dispatcher.setMaxRequests(MAX_CONCURRENT);
    dispatcher.setMaxRequestsPerHost(MAX_CONCURRENT);
    // OkHttp's pool keeps 5 idle connections by default and closes the others as they go idle:
    // with up to MAX_CONCURRENT calls in flight, 10,000 calls opened 500 to 2,000 new connections
    // (a TLS handshake each on a real server). Keep as many idle as may be busy at once.
    String housekeepingName = "mutagent-pool-" + id;
    PoolHousekeeping.Pool pool = pool(housekeepingName);
    OkHttpClient client = new OkHttpClient.Builder().dispatcher(dispatcher).connectionPool(pool.pool).build();
    return new Resources(client, true, id, prefix, pool.housekeeping == null ? null : housekeepingName, pool.housekeeping);
  }

  /**
   * The SDK's own connection pool: with its housekeeping on one SDK thread on the OkHttp line the
   * pom pins (4.12), whose internal runner API {@link PoolHousekeeping} implements; with any other
   * OkHttp an application puts on the class path, OkHttp's own pool of the same size. The version
   * is checked first, and a linkage failure (the class itself cannot load) still falls back.
   */
  private static PoolHousekeeping.Pool pool(String housekeepingName) {
    if (ON_PINNED_OKHTTP) {
      try {
        return PoolHousekeeping.create(MAX_CONCURRENT, housekeepingName);
      } catch (LinkageError otherOkHttp) {
        // Fall through to OkHttp's own pool.
      }
    }
    return new PoolHousekeeping.Pool(new ConnectionPool(MAX_CONCURRENT, 5, TimeUnit.MINUTES), null);
  }

  /** The OkHttp line whose internal runner API {@link PoolHousekeeping} is written for. */
  static final String PINNED_OKHTTP_LINE = "4.12.";

  /** Whether the OkHttp on the class path is that line: read once, not per client. */
  private static final boolean ON_PINNED_OKHTTP = okHttpVersion().startsWith(PINNED_OKHTTP_LINE);

  /**
   * Returns the OkHttp version on the class path, read at run time: {@code OkHttp.VERSION} is a
   * constant, which the compiler would otherwise copy from the OkHttp the SDK was built with.
   */
  static String okHttpVersion() {
    try {
      return String.valueOf(okhttp3.OkHttp.class.getField("VERSION").get(null));
    } catch (ReflectiveOperationException | LinkageError e) {
      return "unknown";
    }
  }

  /** The most async calls the SDK's own dispatcher runs at once (OkHttp's default total). */
  public static final int MAX_CONCURRENT = 64;

  /**
   * Platform threads the SDK's dispatcher may start beyond {@link #MAX_CONCURRENT} before Java 21:
   * OkHttp never runs more than that many calls, so these serve only the SDK's own short tasks
   * (an async retry's next attempt, failing a queued call at its deadline), which must not wait
   * behind {@value #MAX_CONCURRENT} calls in flight.
   */
  static final int SPARE_THREADS = 4;

  /**
   * Returns the executor OkHttp's dispatcher runs async calls on. OkHttp runs each call in flight
   * on one of its threads, blocking in socket reads. On Java 21 and later (found at run time: the
   * jar stays Java 11) those are virtual threads, so calls in flight cost no platform threads
   * beyond the JVM's small carrier pool. Before Java 21 they are daemon platform threads, at most
   * {@link #MAX_CONCURRENT} for calls and {@link #SPARE_THREADS} more for the SDK's own tasks: a new
   * one starts only when none is idle, and each ends after 60 s idle.
   */
  static ExecutorService dispatcherThreads(String prefix) {
    ThreadFactory virtual = virtualThreads(prefix);
    return virtual != null ? newThreadPerTaskExecutor(virtual)
        : boundedPlatformThreads(prefix, MAX_CONCURRENT + SPARE_THREADS);
  }

  /**
   * Returns what makes the {@link DeadlineWatch}'s thread: a daemon platform thread on every Java.
   * A virtual one could wait for a carrier thread while busy virtual threads hold them all, and
   * end calls late (seen on Java 25: a 50 ms deadline kept 1.9 s late behind two spinning ones).
   */
  static ThreadFactory watchThread(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Returns at most {@code max} daemon platform threads that start only when none is idle. A pool
   * of fixed size would start a thread per task until it is full, idle ones or not; a pool that
   * hands tasks over only to idle threads (OkHttp's own) has no bound, and grew past 64 because a
   * thread finishing a call starts the next one while it is still busy. Here a task goes to an idle
   * thread if one waits, else to a new thread below the bound, else into the queue, which the
   * threads drain as they finish.
   */
  static ExecutorService boundedPlatformThreads(String prefix, int max) {
    AtomicInteger threads = new AtomicInteger();
    HandOffQueue queue = new HandOffQueue();
    return new ThreadPoolExecutor(0, max, 60, TimeUnit.SECONDS, queue,
        runnable -> {
          Thread thread = new Thread(runnable, prefix + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        },
        (task, pool) -> {
          if (pool.isShutdown()) {
            throw new RejectedExecutionException("the MutagenT client is closed");
          }
          queue.add(task); // all max threads are busy: the first to finish takes it
        });
  }

  /**
   * The work queue of {@link #boundedPlatformThreads}: {@code offer} succeeds only by handing the
   * task to a thread waiting for one, so the pool starts a new thread (up to its maximum) rather
   * than queueing while none is idle; {@code add} queues for real.
   */
  private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean offer(Runnable task) {
      return tryTransfer(task);
    }

    @Override
    public boolean add(Runnable task) {
      return super.offer(task);
    }
  }

  /**
   * Returns a factory of virtual threads named {@code prefix} and a number from 1, or null before
   * Java 21. Found at run time: the jar stays Java 11.
   */
  private static @Nullable ThreadFactory virtualThreads(String prefix) {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
      return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException | RuntimeException beforeJava21) {
      return null;
    }
  }

  /** Returns a thread-per-task executor (Java 21+) over the factory. */
  private static ExecutorService newThreadPerTaskExecutor(ThreadFactory factory) {
    try {
      return (ExecutorService) java.util.concurrent.Executors.class
          .getMethod("newThreadPerTaskExecutor", ThreadFactory.class).invoke(null, factory);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Java 21's Executors.newThreadPerTaskExecutor is missing", e);
    }
  }

  /**
   * Returns the name prefix of the dispatcher threads the SDK created for these resources
   * ({@code mutagent-http-3-}), or null when they belong to the user's client.
   */
  public @Nullable String threadNamePrefix() {
    return threadNamePrefix;
  }

  /**
   * Returns the name of the thread that tidies the SDK's connection pool ({@code mutagent-pool-3};
   * OkHttp renames it {@code OkHttp ConnectionPool} while it works), or null when there is none:
   * the pool is the user's, or OkHttp's own housekeeping runs it (see PoolHousekeeping).
   */
  public @Nullable String housekeepingThreadName() {
    return housekeepingThreadName;
  }

  /**
   * Returns the scheduler of these resources: the real clock, and the timer of the async client's
   * waits between attempts.
   */
  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * Returns the name of the timer thread of the async client's waits between attempts
   * ({@code mutagent-retries-3}), whether or not it runs now (see SystemScheduler).
   */
  public String retryThreadName() {
    return retryThreadName;
  }

  /**
   * Returns the executor that starts an async call's attempts after a wait, and fails a queued
   * call at its deadline: the dispatcher's (the SDK's own threads, or those of the user's
   * OkHttpClient). Public for the job waits (io.mutagent.internal.jobs), which start their next
   * poll on it.
   */
  public java.util.concurrent.Executor executor() {
    return base.dispatcher().executorService();
  }

  /** Returns the client to derive the SDK's OkHttpClient from ({@code newBuilder()}). */
  public OkHttpClient base() {
    return base;
  }

  /** Returns whether {@link #close()} was called. */
  boolean isClosed() {
    return closed.get();
  }

  /**
   * Returns the name of the thread that ends calls at their deadline ({@code mutagent-deadlines-3}),
   * whether or not it runs now (see DeadlineWatch).
   */
  public String deadlineThreadName() {
    return deadlineThreadName;
  }

  /** Returns how many calls woke or started the deadline thread (see DeadlineWatch), for tests. */
  public long deadlineWakeUps() {
    return deadlines.wakeUps();
  }

  /**
   * Notes an attempt's call as in flight: closing its client state cancels it, and so does its
   * deadline passing or its blocking caller being interrupted (see DeadlineWatch). Returns false,
   * the call cancelled before it was sent, when its client state or these resources are closed,
   * at whatever moment that happened: the caller must then not send it.
   */
  boolean started(Call<?> call, Attempt attempt) {
    inFlight.put(call, attempt);
    if (closed.get() || (attempt.owner != null && attempt.owner.isClosed())) {
      call.cancel(); // closed since the caller checked: close() may have missed this call
      return false;
    }
    deadlines.watch(attempt.lookBy());
    return true;
  }

  /**
   * Notes a call as waiting between attempts, so that closing its client ends the wait. A wait
   * noted after close() is ended at once.
   */
  void startWaiting(RetryWait wait) {
    waiting.add(wait);
    if (wait.owner.isClosed()) {
      waiting.remove(wait);
      wait.end();
    }
  }

  /** Notes an action that closes something made from {@code owner}, run by {@link #runCloseFirst}. */
  void addCloseFirst(ClientState.CloseFirst action, ClientState owner) {
    closeFirst.put(action, owner);
  }

  /** Returns how many close-first actions are registered, for tests. */
  public int closeFirstCount() {
    return closeFirst.size();
  }

  /** Forgets an action noted by {@link #addCloseFirst} (what it closes was closed on its own). */
  void removeCloseFirst(ClientState.CloseFirst action) {
    closeFirst.remove(action);
  }

  /**
   * Runs, each once, the close-first actions of one client state, or of all with null (the owner
   * closing closes what its copies made too): starts them all, then finishes each, so that they
   * wait out their timeouts together rather than one after another. An action that throws,
   * {@code Error} included, ends only itself: the client still closes.
   */
  void runCloseFirst(@Nullable ClientState owner) {
    List<ClientState.CloseFirst> mine = new ArrayList<>();
    for (Map.Entry<ClientState.CloseFirst, ClientState> entry : closeFirst.entrySet()) {
      if ((owner == null || entry.getValue() == owner) && closeFirst.remove(entry.getKey(), entry.getValue())) {
        mine.add(entry.getKey());
      }
    }
    for (ClientState.CloseFirst action : mine) {
      try {
        action.start();
      } catch (Throwable e) { // what it closes failed to start closing: its finish still runs
        // dropped
      }
    }
    for (ClientState.CloseFirst action : mine) {
      try {
        action.finish();
      } catch (Throwable e) { // what it closes failed to close: never the client's close
        // dropped
      }
    }
  }

  /** Forgets a wait that is over. */
  void stopWaiting(RetryWait wait) {
    waiting.remove(wait);
  }

  /**
   * Closes the idle connections of the SDK's own pool (a user's pool is left alone): after the
   * server closed one pooled connection while idle, those idle as long are likely closed too.
   */
  void dropIdleConnections() {
    if (owned) {
      base.connectionPool().evictAll();
    }
  }

  /** Forgets a finished call; once closed, also drops any connection it left in the SDK's pool. */
  void finished(Call<?> call) {
    inFlight.remove(call);
    if (closed.get() && owned) {
      base.connectionPool().evictAll();
    }
  }

  /** Cancels the calls in flight of one client state (a derived client being closed), and ends its waits. */
  void cancel(ClientState owner) {
    cancelCalls(owner);
    endExternalWaits(owner);
    for (RetryWait wait : waiting) {
      if (wait.owner == owner) {
        waiting.remove(wait);
        wait.end();
      }
    }
  }

  /**
   * Cancels the calls in flight of one client state, or all with null: the queued ones first, since
   * a running call that ends hands its dispatcher slot to the next queued one, which must be
   * cancelled by then or it would be sent.
   */
  private void cancelCalls(@Nullable ClientState owner) {
    for (boolean queued : new boolean[] {true, false}) {
      inFlight.forEach((call, attempt) -> {
        if ((owner == null || attempt.owner == owner) && (!queued || !attempt.running)) {
          call.cancel();
        }
      });
    }
  }

  /**
   * Marks the resources released, cancels every call in flight and queued, ends every wait
   * between attempts (a blocking call is woken, an async call's future fails on this thread), and
   * releases what the SDK created: dispatcher threads, pooled connections, the timer and deadline
   * threads. Idempotent.
   */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    deadlines.close();
    scheduler.close();
    cancelCalls(null);
    for (RetryWait wait : waiting) {
      waiting.remove(wait);
      wait.end();
    }
    endExternalWaits(null);
    if (owned) {
      base.dispatcher().cancelAll();
      base.dispatcher().executorService().shutdown();
      // Evicting the last connection cancels the pool's clean-up, which wakes its thread to end.
      base.connectionPool().evictAll();
      if (housekeeping != null) {
        housekeeping.shutdown();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Waits kept outside this package (the job waits of io.mutagent.internal.jobs), ended by close()
  // at once like a RetryWait. Kept apart from the rest of this class on purpose.
  // ---------------------------------------------------------------------------------------------

  /** A wait kept outside this package that {@code close()} must end at once. */
  public interface ExternalWait {
    /** Returns the client state whose {@code close()} ends the wait (as do these resources'). */
    ClientState owner();

    /** Ends the wait at once: wakes a sleeping thread, or cancels a scheduled poll and fails its future. */
    void end();
  }

  private final Set<ExternalWait> externalWaits = ConcurrentHashMap.newKeySet();

  /**
   * Notes a wait, so that closing its client (or these resources) ends it. A wait noted after
   * close() is ended at once, on this thread.
   */
  public void startWaiting(ExternalWait wait) {
    externalWaits.add(wait);
    if (closed.get() || wait.owner().isClosed()) {
      externalWaits.remove(wait);
      wait.end();
    }
  }

  /** Forgets a wait that is over. */
  public void stopWaiting(ExternalWait wait) {
    externalWaits.remove(wait);
  }

  /** Ends the waits of one client state, or all with null. */
  private void endExternalWaits(@Nullable ClientState owner) {
    for (ExternalWait wait : externalWaits) {
      if (owner == null || wait.owner() == owner) {
        externalWaits.remove(wait);
        wait.end();
      }
    }
  }
}
