package io.mutagent.tracing;

/** Why a {@link TraceBatcher} refused a trace it was given, which then counts as dropped. */
public enum DropReason {
  /**
   * The queue held {@link TraceBatcherOptions#maxQueueSize()} traces or
   * {@link TraceBatcherOptions#maxQueueBytes()} bytes: the server, or the rate limit, is slower
   * than traces arrive.
   */
  QUEUE_FULL,
  /** The batcher was closing or closed (its own {@code close}, or its client's). */
  CLOSED
}
