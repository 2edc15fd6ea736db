package io.mutagent.internal.http;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.ConnectionPool;
import okhttp3.internal.concurrent.TaskRunner;
import okhttp3.internal.connection.RealConnectionPool;
import org.jspecify.annotations.Nullable;

/**
 * The connection pool of a client the SDK creates, with its housekeeping on one thread of the
 * SDK's own. OkHttp schedules the pool's clean-up each time a connection goes idle, that is after
 * every call, on a JVM-wide runner that starts a new platform thread whenever none of its threads
 * is free at that instant: under load the benchmark saw 7 to 10 of them. Here the clean-up runs
 * on at most one daemon thread ({@code mutagent-pool-N}), which ends after 60 s idle and when
 * {@link Resources#close()} shuts its executor down.
 *
 * <p>This uses OkHttp's internal runner API, so {@link Resources} uses it only on the OkHttp line
 * the pom pins (4.12.x, checked at run time); with another OkHttp on the class path the client
 * gets OkHttp's own pool of the same size, and nothing else changes. Internal.
 */
final class PoolHousekeeping implements TaskRunner.Backend {
  private final ThreadPoolExecutor thread;
  /** A run of the runner's loop is already waiting for the thread: one is enough. */
  private final AtomicBoolean pending = new AtomicBoolean();

  private PoolHousekeeping(String threadName) {
    // At most one thread; queued runs wait for it. Only one queued run is kept (see execute).
    this.thread = new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    }, new ThreadPoolExecutor.DiscardPolicy()); // after close(), late clean-ups are moot
  }

  /** A connection pool and the executor its housekeeping runs on (null when OkHttp's own). */
  static final class Pool {
    final ConnectionPool pool;
    final @Nullable ExecutorService housekeeping;

    Pool(ConnectionPool pool, @Nullable ExecutorService housekeeping) {
      this.pool = pool;
      this.housekeeping = housekeeping;
    }
  }

  /**
   * Returns a pool keeping up to {@code maxIdle} idle connections for 5 minutes, its clean-up on a
   * thread named {@code threadName}.
   *
   * @throws LinkageError if the OkHttp on the class path has another internal runner API
   *     ({@link Resources} then falls back to OkHttp's own pool)
   */
  static Pool create(int maxIdle, String threadName) {
    PoolHousekeeping backend = new PoolHousekeeping(threadName);
    RealConnectionPool real = new RealConnectionPool(new TaskRunner(backend), maxIdle, 5, TimeUnit.MINUTES);
    return new Pool(new ConnectionPool(real), backend.thread);
  }

  @Override
  public void beforeTask(TaskRunner taskRunner) {
    // Nothing to set up: the thread keeps its name.
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  // The runner calls these two holding its own monitor, which is what wait and notify need.
  @Override
  public void coordinatorNotify(TaskRunner taskRunner) {
    taskRunner.notify();
  }

  @Override
  @SuppressWarnings("WaitNotInLoop") // the runner's own loop re-checks after every wake-up
  public void coordinatorWait(TaskRunner taskRunner, long nanos) {
    long millis = nanos / 1_000_000L;
    int rest = (int) (nanos - millis * 1_000_000L);
    if (millis > 0 || rest > 0) {
      try {
        taskRunner.wait(millis, rest);
      } catch (InterruptedException ignored) {
        // Nothing interrupts this thread (close() wakes it through the pool, and shuts the
        // executor down without shutdownNow). Keeping the flag set would make every later wait
        // fail at once and spin the runner's loop, so the loop just looks again.
      }
    }
  }

  /**
   * Runs the runner's loop on the housekeeping thread. The runner asks for a run whenever a task is
   * scheduled and no thread waits as its coordinator; every run starts by looking at all the
   * runner's queues, so a run that has not started yet already covers later requests, and one
   * queued run is enough. Without this, requests made while the thread is busy would pile up.
   */
  @Override
  public void execute(Runnable loop) {
    if (pending.compareAndSet(false, true)) {
      thread.execute(() -> {
        pending.set(false);
        loop.run();
      });
    }
  }
}
