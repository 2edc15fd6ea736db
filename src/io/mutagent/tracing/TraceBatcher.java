package io.mutagent.tracing;

import io.mutagent.models.TraceInput;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Ships traces in the background: {@link #add} queues a trace in memory and returns at once; one
 * thread of the SDK sends the queue in batches ({@code ingestTraces}, up to 100 traces a call)
 * when a batch is full or when the oldest queued trace has waited
 * {@link TraceBatcherOptions#interval()}, through the client's normal call path (its retries, with
 * one {@code Idempotency-Key} per batch so a retry never stores a batch twice; its rate limit, as
 * background work; its logging). Make one from a client and share it:
 *
 * <pre>{@code
 * TraceBatcher traces = client.traceBatcher(TraceBatcherOptions.defaults());
 * traces.add(trace);                       // never blocks, never throws for a valid trace
 * traces.flush().join();                   // waits until the server acknowledged them
 * }</pre>
 *
 * <p>Closing the client closes its batchers first, all at once, each sending what it holds within
 * its {@link TraceBatcherOptions#closeTimeout()} counted from the client's close (so the client's
 * close waits about the longest of them, not their sum), and only then ends the client's calls.
 * Thread-safe.
 * A closed batcher stays closed: make a new one.
 */
public interface TraceBatcher extends AutoCloseable {
  /**
   * Queues a trace for sending and returns at once; never blocks. Returns false when the trace
   * was dropped instead: the queue is full ({@link TraceBatcherOptions#maxQueueSize()} or
   * {@link TraceBatcherOptions#maxQueueBytes()}; the newest trace is the one dropped) or the
   * batcher is closed. Every drop is counted ({@link TraceBatcherCounts#dropped()}) and reported
   * to the listener.
   *
   * <p>It writes no JSON: it checks the trace's required fields and estimates its JSON size from
   * the lengths of its strings (see {@link TraceBatcherOptions#maxQueueBytes()}); the sender
   * writes it. A trace whose JSON turns out larger than {@link TraceBatcherOptions#maxBatchBytes()}
   * only when written (text that is not ASCII) fails on the sender instead of here: counted as
   * failed and reported to {@link TraceBatcherListener#onFailed}.
   *
   * @param trace the trace, as {@code ingestTraces} takes it
   * @return true if the trace was queued, false if it was dropped
   * @throws IllegalArgumentException if the trace is null, lacks a required field (it was read
   *     from JSON that left one out), has an empty name, or is larger as JSON than
   *     {@link TraceBatcherOptions#maxBatchBytes()} by its estimate alone (it could never be sent)
   */
  boolean add(TraceInput trace);

  /**
   * Sends everything queued now without waiting for the interval, and returns a future that
   * completes when every trace queued or in flight at this moment was acknowledged by the server
   * or failed for good, with what became of them. It never completes exceptionally, and it
   * always completes: each batch call ends by {@link TraceBatcherOptions#sendTimeout()}, and
   * closing ends all. It completes on one of the SDK's threads (or on the caller's, when nothing
   * was pending). Each flush costs one request per batch it sends: call it at checkpoints (the
   * end of a job, shutdown), not per trace.
   */
  CompletableFuture<FlushResult> flush();

  /**
   * Closes with the {@link TraceBatcherOptions#closeTimeout()}: see {@link #close(Duration)}. What
   * could not be delivered is logged as a warning on the client's logger; call
   * {@link #close(Duration)} to read it.
   */
  @Override
  void close();

  /**
   * Closes the batcher: refuses new traces (counted as dropped), sends everything it holds, and
   * waits until that was answered or the timeout passed, then returns what it could not deliver.
   * At the timeout, what is still queued is left unsent and the calls in flight are cancelled.
   * An interrupt of the calling thread stops the wait at once (the flag stays set). Calling it
   * again, or after the client closed it, returns the first close's result.
   *
   * @param timeout how long to wait for the server, e.g. {@code Duration.ofSeconds(10)}
   * @return what was and was not delivered
   * @throws IllegalArgumentException if the timeout is null or negative
   */
  CloseResult close(Duration timeout);

  /** Returns a snapshot of the counts: queued, in flight, sent, failed, dropped, batches. */
  TraceBatcherCounts counts();

  /** Returns the options this batcher was made with. */
  TraceBatcherOptions options();
}
