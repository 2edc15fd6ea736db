package io.mutagent.tracing;

import io.mutagent.models.TraceInput;
import java.util.List;

/**
 * Hears about the traces a {@link TraceBatcher} will never deliver, for example to log them or
 * keep them elsewhere. Both methods do nothing by default. Whatever a method throws, {@code Error}
 * included, is dropped and ends only that call: the batcher goes on. Keep them short, and never
 * wait in them for the batcher ({@code flush().join()}, {@code close}): they run on the thread that
 * called {@link TraceBatcher#add} ({@link #onDropped}) or on one of the SDK's own threads
 * ({@link #onFailed}: the batcher's sender, a dispatcher thread, or the closing thread), never on a
 * JVM-shared one, and the sender that would finish the flush may be the one waiting.
 */
public interface TraceBatcherListener {
  /**
   * Called when {@link TraceBatcher#add} refuses a trace: the queue is full or the batcher is
   * closed. Runs on the caller's thread, before {@code add} returns false.
   *
   * @param trace the trace that was dropped
   * @param reason why
   */
  default void onDropped(TraceInput trace, DropReason reason) {}

  /**
   * Called when traces failed for good: their batch was refused by the server, failed after the
   * client's retries, or was still unsent (or unanswered) when the batcher closed; or one trace
   * alone turned out larger as JSON than {@link TraceBatcherOptions#maxBatchBytes()} when the
   * sender measured it (the error is then an {@link IllegalArgumentException}).
   *
   * @param traces the traces of the batch, in the order they were added (unmodifiable)
   * @param error why: a {@link io.mutagent.errors.MutagentException}, an
   *     {@link IllegalStateException} for traces the batcher closed on, or an
   *     {@link IllegalArgumentException} for a trace too large for a batch
   */
  default void onFailed(List<TraceInput> traces, Throwable error) {}
}
