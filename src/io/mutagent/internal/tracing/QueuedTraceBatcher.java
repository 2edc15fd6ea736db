package io.mutagent.internal.tracing;

import io.mutagent.RequestOptions;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.internal.http.Scheduler;
import io.mutagent.internal.json.JsonSize;
import io.mutagent.internal.json.JsonSizeEstimate;
import io.mutagent.models.IngestTracesRequest;
import io.mutagent.models.IngestTracesResult;
import io.mutagent.models.SpanInput;
import io.mutagent.models.TraceInput;
import io.mutagent.tracing.CloseResult;
import io.mutagent.tracing.DropReason;
import io.mutagent.tracing.FlushResult;
import io.mutagent.tracing.TraceBatcher;
import io.mutagent.tracing.TraceBatcherCounts;
import io.mutagent.tracing.TraceBatcherListener;
import io.mutagent.tracing.TraceBatcherOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TraceBatcher} of a client. One lock guards the queue and the counts: {@link #add}
 * holds it only to append, so callers never wait on the network. {@link #add} writes no JSON: it
 * checks the trace and estimates its size from its text lengths ({@link JsonSizeEstimate}, exact
 * for ASCII text, else a lower bound), which the queue's byte bound counts. The sender measures
 * a trace exactly ({@link JsonSize}) only when the upper bounds of a batch's traces
 * ({@link JsonSizeEstimate#MAX_EXPANSION} times their estimates) could pass
 * {@link TraceBatcherOptions#maxBatchBytes()}, outside the lock, and cuts the batch by the exact
 * sizes; a trace that alone is larger than a batch may be fails there, reported like a batch the
 * server refused. One sender thread at a time (see {@link SenderThreads}) takes batches off the
 * queue and starts their calls; it starts with the first trace and ends when nothing is queued or
 * in flight, or on close. The interval is a task on the client's {@link Scheduler}, which only
 * wakes the sender.
 *
 * <p>Every queued trace has a sequence number. A flush notes the last one and how many traces are
 * pending (queued or in flight); each batch that ends counts its traces against every flush that
 * waits for them, and a flush completes when its count reaches zero. A full queue drops the
 * newest trace: what is queued stays in the order it came, and a trace once accepted is never
 * thrown away for a later one. Internal.
 */
public final class QueuedTraceBatcher implements TraceBatcher {
  /** Sends one batch: the client's async {@code ingestTraces}. */
  public interface BatchSender {
    /** Starts the call; failures arrive through the future. */
    CompletableFuture<IngestTracesResult> send(IngestTracesRequest request, RequestOptions options);
  }

  /** The bytes of the body around the traces: {@code {"traces":[]}}. */
  static final int ENVELOPE_BYTES = "{\"traces\":[]}".length();
  /** The shortest time between two warnings about dropped traces. */
  static final long DROP_WARNING_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final TraceBatcherOptions options;
  private final BatchSender sender;
  private final Scheduler scheduler;
  private final System.Logger logger;
  private final String threadName;
  private final @Nullable TraceBatcherListener listener;
  private final long intervalNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final @Nullable Thread shutdownHook;
  private volatile Runnable onClose = () -> { };

  // Guarded by lock.
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private final Set<Batch> inFlight = new HashSet<>();
  private final List<FlushWaiter> waiters = new ArrayList<>();
  private long queuedBytes;
  private long lastSeq;
  private int inFlightTraces;
  private long flushUpTo;
  private boolean intervalDue;
  private @Nullable Object timerToken;
  private @Nullable Future<?> timer;
  private boolean senderRunning;
  /** The sender waits for traces (none queued, or a batch not due yet), so an add that changes that wakes it. */
  private boolean awaitingTraces;
  private boolean closing;
  private boolean closed;
  private @Nullable CompletableFuture<CloseResult> closeResult;
  private long added;
  private long sent;
  private long failed;
  private long dropped;
  private long batches;
  private long droppedSinceFlush;
  private long droppedSinceWarning;
  private long lastDropWarning = Long.MIN_VALUE;

  /**
   * Makes a batcher.
   *
   * @param options its options
   * @param sender sends one batch through the client
   * @param scheduler the client's clock and timer
   * @param logger the client's logger (guarded)
   * @param threadName the name of its sender thread
   */
  public QueuedTraceBatcher(TraceBatcherOptions options, BatchSender sender, Scheduler scheduler,
      System.Logger logger, String threadName) {
    this.options = options;
    this.sender = sender;
    this.scheduler = scheduler;
    this.logger = logger;
    this.threadName = threadName;
    this.listener = options.listener();
    this.intervalNanos = options.interval().toNanos();
    if (options.shutdownHook()) {
      Thread hook = new Thread(this::close, threadName + "-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      this.shutdownHook = hook;
    } else {
      this.shutdownHook = null;
    }
  }

  /** Returns the JVM shutdown hook that closes this batcher, or null when none was asked for; for tests. */
  public @Nullable Thread shutdownHook() {
    return shutdownHook;
  }

  /** Sets what runs once when the batcher closes (the client forgets it); before it is shared. */
  public void onClose(Runnable action) {
    this.onClose = action;
  }

  @Override
  public TraceBatcherOptions options() {
    return options;
  }

  @Override
  public boolean add(TraceInput trace) {
    long bytes = checkedEstimate(trace);
    DropReason drop = null;
    boolean start = false;
    long warn = 0;
    lock.lock();
    try {
      added++;
      if (closing) {
        drop = DropReason.CLOSED;
      } else if (queue.size() >= options.maxQueueSize() || queuedBytes + bytes > options.maxQueueBytes()) {
        drop = DropReason.QUEUE_FULL;
      }
      if (drop != null) {
        dropped++;
        droppedSinceFlush++;
        droppedSinceWarning++;
        long now = scheduler.nanoTime();
        if (lastDropWarning == Long.MIN_VALUE || now - lastDropWarning >= DROP_WARNING_NANOS) {
          lastDropWarning = now;
          warn = droppedSinceWarning;
          droppedSinceWarning = 0;
        }
      } else {
        queue.addLast(new Entry(trace, (int) bytes, ++lastSeq, scheduler.nanoTime()));
        queuedBytes += bytes;
        if (!senderRunning) {
          senderRunning = true;
          start = true;
        } else if (awaitingTraces && (queue.size() == 1 || batchFull())) {
          // Only when the sender waits for traces: while it waits for a batch in flight to end,
          // a signal per add would wake it for nothing, and make every add pay for a wake-up.
          awaitingTraces = false;
          wake.signal();
        }
      }
    } finally {
      lock.unlock();
    }
    if (drop != null) {
      if (warn > 0) {
        logger.log(System.Logger.Level.WARNING, "trace batcher dropped " + warn + " trace(s) since its last "
            + "warning: " + (drop == DropReason.CLOSED ? "it is closed" : "its queue is full (maxQueueSize "
            + options.maxQueueSize() + ", maxQueueBytes " + options.maxQueueBytes() + "); the server or the rate "
            + "limit is slower than traces arrive") + "; counts(): " + counts());
      }
      notifyDropped(trace, drop);
      return false;
    }
    if (start) {
      startSender();
    }
    return true;
  }

  /**
   * Checks a trace and returns the estimate of its size as JSON, without writing it.
   *
   * @throws IllegalArgumentException if it is null, invalid, or larger than a batch may be by its
   *     estimate alone
   */
  private long checkedEstimate(@Nullable TraceInput trace) {
    if (trace == null) {
      throw new IllegalArgumentException("trace must not be null: build one with TraceInput.builder()...build()");
    }
    try {
      if (trace.name().isEmpty()) {
        throw new IllegalArgumentException("trace has an empty name; ingestTraces needs a name of at least 1 character");
      }
      trace.status();
      trace.startTime();
      trace.endTime();
      for (SpanInput span : trace.spans()) {
        if (span == null) {
          throw new IllegalArgumentException("trace '" + trace.name() + "' has a null span; leave it out");
        }
        span.id();
        span.name();
        span.kind();
        span.status();
        span.startTime();
        span.endTime();
      }
    } catch (MutagentInvalidDataException invalid) {
      throw new IllegalArgumentException("trace cannot be sent: " + invalid.getMessage(), invalid);
    }
    long bytes;
    try {
      bytes = JsonSizeEstimate.of(trace);
    } catch (RuntimeException unwritable) {
      throw new IllegalArgumentException("trace '" + trace.name() + "' cannot be written as JSON: "
          + unwritable.getClass().getSimpleName() + ": " + unwritable.getMessage(), unwritable);
    }
    if (bytes + ENVELOPE_BYTES > options.maxBatchBytes()) {
      throw new IllegalArgumentException(tooLarge(trace, "at least " + bytes));
    }
    return bytes;
  }

  private String tooLarge(TraceInput trace, String bytes) {
    return "trace '" + trace.name() + "' takes " + bytes + " bytes as JSON, more than one batch may hold "
        + "(maxBatchBytes " + options.maxBatchBytes() + " less " + ENVELOPE_BYTES + " for the body around it); "
        + "shorten its inputs and outputs, or raise maxBatchBytes";
  }

  /**
   * Returns the exact size of a trace as JSON, in UTF-8 bytes, as the sender measures it.
   *
   * @throws RuntimeException what Gson throws for a trace it cannot write
   */
  public static long jsonSize(TraceInput trace) {
    return JsonSize.of(trace, TraceInput.class);
  }

  /**
   * Returns the size of a trace as {@link #add} counts it, without writing it: exact for ASCII text
   * with nothing JSON escapes, else a lower bound (see {@link JsonSizeEstimate}).
   *
   * @throws RuntimeException for a trace that cannot be written
   */
  public static long sizeEstimate(TraceInput trace) {
    return JsonSizeEstimate.of(trace);
  }

  /** Whether the queue holds a full batch, in count or in bytes. Under the lock. */
  private boolean batchFull() {
    return queue.size() >= options.maxBatchSize()
        || ENVELOPE_BYTES + queuedBytes + queue.size() - 1 >= options.maxBatchBytes();
  }

  /** Starts the sender thread; if that fails the traces stay queued and the next add tries again. */
  private void startSender() {
    try {
      SenderThreads.start(threadName, this::runSender);
    } catch (Throwable e) { // no thread could start (OutOfMemoryError: unable to create a native thread)
      lock.lock();
      try {
        senderRunning = false;
      } finally {
        lock.unlock();
      }
      logger.log(System.Logger.Level.ERROR, "trace batcher could not start its sender thread; the traces stay "
          + "queued and the next add or flush tries again", e);
    }
  }

  /**
   * The sender thread: takes each batch that is due and starts its call, until there is nothing
   * left; measures traces first where a batch's size is not known to fit.
   */
  private void runSender() {
    try {
      while (true) {
        Work work;
        lock.lock();
        try {
          work = nextWork();
          if (work == null) {
            senderRunning = false;
            return;
          }
        } finally {
          lock.unlock();
        }
        if (work.measure != null) {
          measure(work.measure);
          continue;
        }
        if (!work.rejected.isEmpty()) {
          rejected(work.rejected);
          complete(work.done);
        }
        Batch batch = work.batch;
        if (batch != null) {
          send(batch);
        }
      }
    } catch (Throwable e) { // a bug of ours: never leave the batcher without a sender for good
      lock.lock();
      try {
        senderRunning = false;
      } finally {
        lock.unlock();
      }
      logger.log(System.Logger.Level.ERROR, "trace batcher's sender failed; the next add or flush starts another", e);
    }
  }

  /**
   * Waits until a batch is due and takes it off the queue (or names the traces to measure before
   * it can be cut), or returns null when the sender should end: closed, or nothing queued nor in
   * flight. Under the lock.
   */
  private @Nullable Work nextWork() {
    while (true) {
      if (closed) {
        return null;
      }
      if (queue.isEmpty()) {
        if (inFlight.isEmpty()) {
          return null;
        }
        awaitTraces();
        continue;
      }
      if (inFlight.size() >= options.maxConcurrentBatches()) {
        awaitWake();
        continue;
      }
      Entry head = queue.getFirst();
      if (closing || intervalDue || head.seq <= flushUpTo || batchFull()) {
        List<Entry> unmeasured = unmeasuredHead();
        return unmeasured.isEmpty() ? takeBatch() : new Work(unmeasured, null, List.of(), List.of());
      }
      armTimer(head);
      if (!intervalDue) {
        awaitTraces();
      }
    }
  }

  /** Waits for a trace to arrive, a batch to fill or end, the interval or a flush. Under the lock. */
  private void awaitTraces() {
    awaitingTraces = true;
    try {
      awaitWake();
    } finally {
      awaitingTraces = false;
    }
  }

  /** Waits for a signal; an interrupt of the SDK's own thread is only a wake-up. Under the lock. */
  private void awaitWake() {
    try {
      wake.await();
    } catch (InterruptedException e) {
      // Nobody interrupts the sender but a JVM shutting down; look at the state again.
    }
  }

  /** Makes sure a timer wakes the sender when the head has waited the interval. Under the lock. */
  private void armTimer(Entry head) {
    if (timer != null || timerToken != null) {
      return;
    }
    long delay = Math.max(0, head.addedNanos + intervalNanos - scheduler.nanoTime());
    Object token = new Object();
    timerToken = token;
    Future<?> scheduled;
    try {
      scheduled = scheduler.schedule(Duration.ofNanos(delay), () -> timerFired(token));
    } catch (RejectedExecutionException clientClosed) {
      timerToken = null;
      intervalDue = true; // the client is closed: sending fails at once, and ends the traces' wait
      return;
    }
    if (timerToken == token) { // it did not run at once (a test's scheduler may run it in schedule)
      timer = scheduled;
    }
  }

  /** The interval passed for the head the timer was armed for. Runs on the scheduler's thread. */
  private void timerFired(Object token) {
    lock.lock();
    try {
      if (timerToken == token) {
        timerToken = null;
        timer = null;
        intervalDue = true;
        wake.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Cancels the interval timer. Under the lock. */
  private void cancelTimer() {
    Future<?> armed = timer;
    timer = null;
    timerToken = null;
    intervalDue = false;
    if (armed != null) {
      armed.cancel(false);
    }
  }

  /**
   * Returns the traces of the next batch to measure before it is cut: none when the upper bounds
   * of the first {@code maxBatchSize} queued traces fit in {@code maxBatchBytes} together (then no
   * trace is written twice), else those of them not measured yet. Under the lock.
   */
  private List<Entry> unmeasuredHead() {
    long upper = ENVELOPE_BYTES - 1;
    int seen = 0;
    for (Iterator<Entry> it = queue.iterator(); it.hasNext() && seen < options.maxBatchSize(); seen++) {
      upper += it.next().upperBound() + 1;
    }
    if (upper <= options.maxBatchBytes()) {
      return List.of();
    }
    List<Entry> unmeasured = new ArrayList<>();
    seen = 0;
    for (Iterator<Entry> it = queue.iterator(); it.hasNext() && seen < options.maxBatchSize(); seen++) {
      Entry entry = it.next();
      if (entry.exact < 0 && entry.rejection == null) {
        unmeasured.add(entry);
      }
    }
    return unmeasured;
  }

  /**
   * Measures traces exactly, outside the lock, and notes their sizes; a trace that cannot be
   * written, or is larger than a batch may be, is marked to fail. On the sender thread.
   */
  private void measure(List<Entry> entries) {
    long[] sizes = new long[entries.size()];
    RuntimeException[] errors = new RuntimeException[entries.size()];
    for (int i = 0; i < sizes.length; i++) {
      TraceInput trace = entries.get(i).trace;
      try {
        sizes[i] = JsonSize.of(trace, TraceInput.class);
        if (sizes[i] + ENVELOPE_BYTES > options.maxBatchBytes()) {
          errors[i] = new IllegalArgumentException(tooLarge(trace, String.valueOf(sizes[i])));
        }
      } catch (RuntimeException unwritable) {
        errors[i] = new IllegalArgumentException("trace '" + trace.name() + "' cannot be written as JSON: "
            + unwritable.getClass().getSimpleName() + ": " + unwritable.getMessage(), unwritable);
      }
    }
    lock.lock();
    try {
      for (int i = 0; i < sizes.length; i++) {
        Entry entry = entries.get(i);
        entry.exact = errors[i] == null ? (int) sizes[i] : 0;
        entry.rejection = errors[i];
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the next batch off the queue, as many traces as the count and byte bounds allow, and
   * the traces before and among them that failed their measure. Under the lock.
   */
  private Work takeBatch() {
    cancelTimer();
    List<Entry> entries = new ArrayList<>(Math.min(queue.size(), options.maxBatchSize()));
    List<Entry> rejected = List.of();
    List<FlushWaiter> done = List.of();
    long bytes = ENVELOPE_BYTES;
    while (!queue.isEmpty() && entries.size() < options.maxBatchSize()) {
      Entry next = queue.getFirst();
      RuntimeException rejection = next.rejection;
      if (rejection != null) {
        queue.removeFirst();
        queuedBytes -= next.bytes;
        if (rejected.isEmpty()) {
          rejected = new ArrayList<>();
          done = new ArrayList<>();
        }
        rejected.add(next);
        failed++;
        done.addAll(resolve(List.of(next), 0, rejection));
        continue;
      }
      long more = next.upperBound() + (entries.isEmpty() ? 0 : 1);
      if (next.exact < 0 && ENVELOPE_BYTES + next.upperBound() > options.maxBatchBytes()) {
        break; // not measured yet (past traces that failed theirs): the next round measures it
      }
      if (!entries.isEmpty() && bytes + more > options.maxBatchBytes()) {
        break;
      }
      queue.removeFirst();
      queuedBytes -= next.bytes;
      entries.add(next);
      bytes += more;
    }
    if (entries.isEmpty()) {
      return new Work(null, null, rejected, done);
    }
    Batch batch = new Batch(entries, UUID.randomUUID().toString());
    inFlight.add(batch);
    inFlightTraces += entries.size();
    batches++;
    return new Work(null, batch, rejected, done);
  }

  /** Reports traces that failed their measure: a warning, and the listener. On the sender thread. */
  private void rejected(List<Entry> entries) {
    Throwable first = Objects.requireNonNull(entries.get(0).rejection);
    logger.log(System.Logger.Level.WARNING, "trace batcher: " + entries.size() + " trace(s) failed for good "
        + "before sending: " + first.getMessage());
    for (Entry entry : entries) {
      notifyFailed(List.of(entry.trace), Objects.requireNonNull(entry.rejection));
    }
  }

  /** Starts a batch's call through the client, and counts its end. On the sender thread. */
  private void send(Batch batch) {
    CompletableFuture<IngestTracesResult> call;
    try {
      RequestOptions callOptions = RequestOptions.builder()
          .background(true)
          .idempotencyKey(batch.idempotencyKey)
          .timeout(options.sendTimeout())
          .build();
      call = sender.send(IngestTracesRequest.builder().traces(batch.traces()).build(), callOptions);
    } catch (Throwable e) { // the call could not start: it failed, as a call would
      call = CompletableFuture.failedFuture(e);
    }
    boolean cancel;
    lock.lock();
    try {
      batch.call = call;
      cancel = closed; // the close that stopped while this batch was being started could not cancel it
    } finally {
      lock.unlock();
    }
    call.whenComplete((result, error) -> finished(batch, result, error));
    if (cancel) {
      call.cancel(false);
    }
  }

  /** Counts a batch's end against the totals and the flushes waiting for its traces. */
  private void finished(Batch batch, @Nullable IngestTracesResult result, @Nullable Throwable error) {
    int size = batch.entries.size();
    int accepted = size;
    Throwable cause = unwrap(error);
    if (cause != null) {
      accepted = 0;
      if (cause instanceof CancellationException) {
        cause = new IllegalStateException("the trace batcher closed before the server answered; the server may "
            + "or may not have stored these traces");
      }
    } else if (result != null) {
      try {
        accepted = Math.max(0, Math.min(size, result.acceptedCount()));
      } catch (RuntimeException unreadable) {
        accepted = size; // a 2xx whose count cannot be read: the server took the batch
      }
      if (accepted < size) {
        cause = new IllegalStateException("the server accepted " + accepted + " of the " + size + " traces of "
            + "a batch");
      }
    }
    List<FlushWaiter> done;
    lock.lock();
    try {
      if (!inFlight.remove(batch)) {
        return;
      }
      inFlightTraces -= size;
      sent += accepted;
      failed += size - accepted;
      done = resolve(batch.entries, accepted, cause);
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    if (cause != null) { // before the flushes complete: a flush that saw a failure finds it reported
      logger.log(System.Logger.Level.WARNING, "trace batcher: " + (size - accepted) + " of " + size + " traces "
          + "failed for good: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
      notifyFailed(traces(batch.entries.subList(accepted, size)), cause);
    }
    complete(done);
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * Counts ended traces against the flushes waiting for them: the first {@code accepted} as sent,
   * the rest as failed. Returns the flushes now complete, removed. Under the lock.
   */
  private List<FlushWaiter> resolve(List<Entry> entries, int accepted, @Nullable Throwable cause) {
    List<FlushWaiter> done = new ArrayList<>();
    for (Iterator<FlushWaiter> it = waiters.iterator(); it.hasNext(); ) {
      FlushWaiter waiter = it.next();
      for (int i = 0; i < entries.size(); i++) {
        if (entries.get(i).seq <= waiter.upTo) {
          waiter.remaining--;
          if (i < accepted) {
            waiter.sent++;
          } else {
            waiter.failed++;
            if (waiter.firstError == null) {
              waiter.firstError = cause;
            }
          }
        }
      }
      if (waiter.remaining <= 0) {
        it.remove();
        done.add(waiter);
      }
    }
    return done;
  }

  private static void complete(List<FlushWaiter> done) {
    for (FlushWaiter waiter : done) {
      waiter.future.complete(FlushResult.of(waiter.sent, waiter.failed, waiter.dropped, waiter.firstError));
    }
  }

  @Override
  public CompletableFuture<FlushResult> flush() {
    FlushWaiter waiter;
    boolean start = false;
    lock.lock();
    try {
      long droppedBefore = droppedSinceFlush;
      droppedSinceFlush = 0;
      int pending = queue.size() + inFlightTraces;
      if (pending == 0) {
        return CompletableFuture.completedFuture(FlushResult.of(0, 0, droppedBefore, null));
      }
      waiter = new FlushWaiter(lastSeq, pending, droppedBefore);
      waiters.add(waiter);
      flushUpTo = lastSeq;
      wake.signalAll();
      if (!queue.isEmpty() && !senderRunning) {
        senderRunning = true;
        start = true;
      }
    } finally {
      lock.unlock();
    }
    if (start) {
      startSender();
    }
    return waiter.future;
  }

  @Override
  public void close() {
    close(options.closeTimeout());
  }

  @Override
  public CloseResult close(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be null or negative, got " + timeout
          + "; e.g. Duration.ofSeconds(10)");
    }
    CompletableFuture<CloseResult> result;
    @Nullable CompletableFuture<CloseResult> earlier;
    @Nullable FlushWaiter all = null;
    long sentBefore = 0;
    long failedBefore = 0;
    long droppedBefore = 0;
    boolean start = false;
    lock.lock();
    try {
      earlier = closeResult;
      result = new CompletableFuture<>();
      if (earlier == null) {
        closeResult = result;
        closing = true;
        sentBefore = sent;
        failedBefore = failed;
        droppedBefore = droppedSinceFlush;
        droppedSinceFlush = 0;
        int pending = queue.size() + inFlightTraces;
        if (pending > 0) {
          all = new FlushWaiter(lastSeq, pending, 0);
          waiters.add(all);
          flushUpTo = lastSeq;
        }
        wake.signalAll();
        if (!queue.isEmpty() && !senderRunning) {
          senderRunning = true;
          start = true;
        }
      }
    } finally {
      lock.unlock();
    }
    if (earlier != null) {
      return awaitEarlierClose(earlier);
    }
    try {
      CloseResult outcome = finishClose(timeout, all, sentBefore, failedBefore, droppedBefore, start);
      result.complete(outcome);
      return outcome;
    } catch (RuntimeException | Error e) { // a bug of ours: a later close must not wait for this one forever
      result.completeExceptionally(e);
      throw e;
    }
  }

  /** Sends what is held until it is answered, the timeout passes or the thread is interrupted, then stops. */
  private CloseResult finishClose(Duration timeout, @Nullable FlushWaiter all, long sentBefore, long failedBefore,
      long droppedBefore, boolean start) {
    try {
      onClose.run();
    } catch (RuntimeException e) {
      // only forgets the registration with the client
    }
    removeShutdownHook();
    if (start) {
      startSender();
    }
    boolean timedOut = false;
    boolean interrupted = false;
    if (all != null && !all.future.isDone()) {
      CountDownLatch done = new CountDownLatch(1);
      AtomicBoolean deadlinePassed = new AtomicBoolean();
      all.future.whenComplete((r, e) -> done.countDown());
      Future<?> deadline = null;
      try {
        deadline = scheduler.schedule(timeout, () -> {
          deadlinePassed.set(true);
          done.countDown();
        });
      } catch (RejectedExecutionException clientClosed) {
        deadlinePassed.set(true);
        done.countDown();
      }
      try {
        done.await();
      } catch (InterruptedException e) {
        interrupted = true;
        Thread.currentThread().interrupt();
      }
      if (deadline != null) {
        deadline.cancel(false);
      }
      timedOut = deadlinePassed.get() && !all.future.isDone();
    }
    CloseResult outcome = stop(sentBefore, failedBefore, droppedBefore, timedOut, interrupted);
    if (!outcome.isComplete()) {
      logger.log(System.Logger.Level.WARNING, "trace batcher closed without delivering everything: " + outcome);
    }
    return outcome;
  }

  /** Waits for the close another thread started (it ends by its own timeout); an interrupt ends the wait. */
  private CloseResult awaitEarlierClose(CompletableFuture<CloseResult> result) {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      TraceBatcherCounts now = counts();
      return CloseResult.of(0, 0, now.queued(), now.inFlight(), 0, false, true);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the trace batcher's close failed", e.getCause());
    }
  }

  /**
   * Ends the close: what is still queued is not sent, what is in flight is cancelled, and the
   * sender ends. Returns what the close delivered and did not.
   */
  private CloseResult stop(long sentBefore, long failedBefore, long droppedBefore, boolean timedOut,
      boolean interrupted) {
    List<Entry> unsent;
    List<Batch> unanswered;
    List<FlushWaiter> done;
    int notSent;
    int unconfirmed;
    int sentNow;
    int failedNow;
    IllegalStateException cause = new IllegalStateException("the trace batcher closed before sending these traces "
        + "(its close timeout passed, or the closing thread was interrupted)");
    lock.lock();
    try {
      closed = true;
      cancelTimer();
      notSent = queue.size();
      unconfirmed = inFlightTraces;
      sentNow = (int) (sent - sentBefore);
      failedNow = (int) (failed - failedBefore);
      unsent = new ArrayList<>(queue);
      queue.clear();
      queuedBytes = 0;
      failed += notSent;
      done = resolve(unsent, 0, cause);
      unanswered = new ArrayList<>(inFlight);
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    if (!unsent.isEmpty()) {
      notifyFailed(traces(unsent), cause);
    }
    complete(done);
    for (Batch batch : unanswered) {
      CompletableFuture<?> call = batch.call;
      if (call != null) {
        call.cancel(false); // counted as failed by finished(), which this runs
      }
    }
    return CloseResult.of(sentNow, failedNow, notSent, unconfirmed, droppedBefore, timedOut, interrupted);
  }

  private void removeShutdownHook() {
    Thread hook = shutdownHook;
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is shutting down: the hook runs or ran
      }
    }
  }

  @Override
  public TraceBatcherCounts counts() {
    lock.lock();
    try {
      return TraceBatcherCounts.of(added, queue.size(), queuedBytes, inFlightTraces, sent, failed, dropped, batches);
    } finally {
      lock.unlock();
    }
  }

  private void notifyDropped(TraceInput trace, DropReason reason) {
    TraceBatcherListener hook = listener;
    if (hook != null) {
      try {
        hook.onDropped(trace, reason);
      } catch (Throwable e) { // the listener's own failure: never the caller's add
        // dropped
      }
    }
  }

  private void notifyFailed(List<TraceInput> traces, Throwable cause) {
    TraceBatcherListener hook = listener;
    if (hook != null) {
      try {
        hook.onFailed(traces, cause);
      } catch (Throwable e) { // the listener's own failure: ends only this call of it
        // dropped
      }
    }
  }

  private static List<TraceInput> traces(List<Entry> entries) {
    List<TraceInput> traces = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      traces.add(entry.trace);
    }
    return Collections.unmodifiableList(traces);
  }

  @Override
  public String toString() {
    return "TraceBatcher{" + counts() + "}";
  }

  /** What the sender does next: measure traces, or send a batch after reporting the traces that failed. */
  private static final class Work {
    final @Nullable List<Entry> measure;
    final @Nullable Batch batch;
    final List<Entry> rejected;
    final List<FlushWaiter> done;

    Work(@Nullable List<Entry> measure, @Nullable Batch batch, List<Entry> rejected, List<FlushWaiter> done) {
      this.measure = measure;
      this.batch = batch;
      this.rejected = rejected;
      this.done = done;
    }
  }

  /** One queued trace. */
  private static final class Entry {
    final TraceInput trace;
    /** The estimate of its JSON size, which the queue's byte bound counts. */
    final int bytes;
    final long seq;
    final long addedNanos;
    /** Its exact JSON size once the sender measured it, else -1. Guarded by the batcher's lock. */
    int exact = -1;
    /** Why it cannot be sent, found by the measure. Guarded by the batcher's lock. */
    @Nullable RuntimeException rejection;

    Entry(TraceInput trace, int bytes, long seq, long addedNanos) {
      this.trace = trace;
      this.bytes = bytes;
      this.seq = seq;
      this.addedNanos = addedNanos;
    }

    /** The most bytes it can take as JSON: its exact size once measured. Under the lock. */
    long upperBound() {
      return exact >= 0 ? exact : (long) bytes * JsonSizeEstimate.MAX_EXPANSION;
    }
  }

  /** One batch: one call, one idempotency key for all its attempts. */
  private static final class Batch {
    final List<Entry> entries;
    final String idempotencyKey;
    volatile @Nullable CompletableFuture<?> call;

    Batch(List<Entry> entries, String idempotencyKey) {
      this.entries = entries;
      this.idempotencyKey = idempotencyKey;
    }

    List<TraceInput> traces() {
      return QueuedTraceBatcher.traces(entries);
    }
  }

  /** A flush waiting for the traces up to {@code upTo}. Guarded by the batcher's lock. */
  private static final class FlushWaiter {
    final long upTo;
    final long dropped;
    final CompletableFuture<FlushResult> future = new CompletableFuture<>();
    int remaining;
    int sent;
    int failed;
    @Nullable Throwable firstError;

    FlushWaiter(long upTo, int remaining, long dropped) {
      this.upTo = upTo;
      this.remaining = remaining;
      this.dropped = dropped;
    }
  }
}
