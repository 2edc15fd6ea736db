package io.mutagent.tracing;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link TraceBatcher} queues and sends: the bounds of its queue, the size of a batch, how
 * long a trace may wait for one, and the timeouts. Immutable; start from {@link #defaults()} or
 * {@link #builder()}.
 *
 * <pre>{@code
 * TraceBatcherOptions options = TraceBatcherOptions.builder()
 *     .interval(Duration.ofSeconds(30))
 *     .maxQueueSize(50_000)
 *     .build();
 * }</pre>
 *
 * <p><b>What it costs in requests.</b> Each batch is one {@code ingestTraces} call, and a batch
 * goes out when it holds {@link #maxBatchSize()} traces or {@link #maxBatchBytes()} bytes, or
 * when its oldest trace has waited {@link #interval()}. So a day costs at most
 * {@code 86,400 s / interval} calls for a steady trickle, plus one per full batch:
 * {@code traces per day / 100} at the default size. With the defaults (90 s) a trickle costs at
 * most 960 calls a day, under the Free plan's 1,000; each {@link TraceBatcher#flush()} adds one
 * call per batch it sends early.
 */
public final class TraceBatcherOptions {
  /** The most traces one {@code ingestTraces} call takes: the spec's {@code maxItems}. */
  public static final int MAX_BATCH_SIZE = 100;

  private static final TraceBatcherOptions DEFAULTS = new Builder().build();

  private final int maxQueueSize;
  private final long maxQueueBytes;
  private final int maxBatchSize;
  private final int maxBatchBytes;
  private final Duration interval;
  private final Duration sendTimeout;
  private final Duration closeTimeout;
  private final int maxConcurrentBatches;
  private final @Nullable TraceBatcherListener listener;
  private final boolean shutdownHook;

  private TraceBatcherOptions(Builder builder) {
    this.maxQueueSize = builder.maxQueueSize;
    this.maxQueueBytes = builder.maxQueueBytes;
    this.maxBatchSize = builder.maxBatchSize;
    this.maxBatchBytes = builder.maxBatchBytes;
    this.interval = builder.interval;
    this.sendTimeout = builder.sendTimeout;
    this.closeTimeout = builder.closeTimeout;
    this.maxConcurrentBatches = builder.maxConcurrentBatches;
    this.listener = builder.listener;
    this.shutdownHook = builder.shutdownHook;
  }

  /** Returns the default options (each builder method gives its default). */
  public static TraceBatcherOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from these options. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.maxQueueSize = maxQueueSize;
    builder.maxQueueBytes = maxQueueBytes;
    builder.maxBatchSize = maxBatchSize;
    builder.maxBatchBytes = maxBatchBytes;
    builder.interval = interval;
    builder.sendTimeout = sendTimeout;
    builder.closeTimeout = closeTimeout;
    builder.maxConcurrentBatches = maxConcurrentBatches;
    builder.listener = listener;
    builder.shutdownHook = shutdownHook;
    return builder;
  }

  /** Returns the most traces the queue holds (default 10,000); more are dropped. */
  public int maxQueueSize() {
    return maxQueueSize;
  }

  /**
   * Returns the most bytes of JSON the queue holds (default 16 MiB); more are dropped. The bytes
   * counted are each trace's <em>estimated</em> JSON size, which {@link TraceBatcher#add} finds
   * without writing the JSON: property names, punctuation, numbers and date-times exactly, and each
   * string by its length in characters. That is the exact size for ASCII text with nothing JSON
   * escapes; other text takes up to 3 bytes a character in UTF-8 (up to 6 escaped), so the queue
   * may then hold more bytes of JSON than this, never more characters.
   */
  public long maxQueueBytes() {
    return maxQueueBytes;
  }

  /** Returns the most traces in one batch (default and maximum 100, the spec's limit per call). */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /**
   * Returns the most bytes of JSON in one batch's request body (default 1 MiB, 1,048,576 bytes):
   * a batch is cut before it would grow larger, by the traces' exact sizes, which the sender
   * measures where their estimates cannot rule it out. A single trace larger than this is refused
   * by {@link TraceBatcher#add} when its estimate already is; otherwise the sender finds it, and
   * it fails there (counted as failed, reported to {@link TraceBatcherListener#onFailed}).
   */
  public int maxBatchBytes() {
    return maxBatchBytes;
  }

  /** Returns the longest a queued trace waits for a batch to fill before it is sent anyway (default 90 s). */
  public Duration interval() {
    return interval;
  }

  /** Returns the timeout of one batch's call, the client's retries included (default 30 s). */
  public Duration sendTimeout() {
    return sendTimeout;
  }

  /** Returns how long {@link TraceBatcher#close()}, and the client's close, wait for what is held to be sent (default 10 s). */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** Returns the most batches in flight at once (default 2). */
  public int maxConcurrentBatches() {
    return maxConcurrentBatches;
  }

  /** Returns the listener told of dropped and failed traces, or null when there is none. */
  public @Nullable TraceBatcherListener listener() {
    return listener;
  }

  /** Returns whether a JVM shutdown hook closes the batcher (default false). */
  public boolean shutdownHook() {
    return shutdownHook;
  }

  @Override
  public String toString() {
    return "TraceBatcherOptions{maxQueueSize=" + maxQueueSize + ", maxQueueBytes=" + maxQueueBytes
        + ", maxBatchSize=" + maxBatchSize + ", maxBatchBytes=" + maxBatchBytes + ", interval=" + interval
        + ", sendTimeout=" + sendTimeout + ", closeTimeout=" + closeTimeout + ", maxConcurrentBatches="
        + maxConcurrentBatches + ", listener=" + (listener == null ? "none" : "set") + ", shutdownHook="
        + shutdownHook + "}";
  }

  /** Builds {@link TraceBatcherOptions}. Not thread-safe; the options it builds are. */
  public static final class Builder {
    private int maxQueueSize = 10_000;
    private long maxQueueBytes = 16L * 1024 * 1024;
    private int maxBatchSize = MAX_BATCH_SIZE;
    private int maxBatchBytes = 1024 * 1024;
    private Duration interval = Duration.ofSeconds(90);
    private Duration sendTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(10);
    private int maxConcurrentBatches = 2;
    private @Nullable TraceBatcherListener listener;
    private boolean shutdownHook;

    private Builder() {}

    /**
     * Sets the most traces the queue holds (default 10,000).
     *
     * @throws IllegalArgumentException if it is under 1 or over 1,000,000
     */
    public Builder maxQueueSize(int maxQueueSize) {
      if (maxQueueSize < 1 || maxQueueSize > 1_000_000) {
        throw new IllegalArgumentException("maxQueueSize must be between 1 and 1,000,000, got " + maxQueueSize
            + "; the default is 10,000");
      }
      this.maxQueueSize = maxQueueSize;
      return this;
    }

    /**
     * Sets the most bytes of JSON the queue holds, by the traces' estimated sizes (default
     * 16 MiB; see {@link TraceBatcherOptions#maxQueueBytes()}); it must be at least
     * {@link #maxBatchBytes(int)}.
     *
     * @throws IllegalArgumentException if it is under 1 KiB or over 1 GiB
     */
    public Builder maxQueueBytes(long maxQueueBytes) {
      if (maxQueueBytes < 1024 || maxQueueBytes > 1024L * 1024 * 1024) {
        throw new IllegalArgumentException("maxQueueBytes must be between 1 KiB (1024) and 1 GiB, got "
            + maxQueueBytes + "; the default is 16 MiB");
      }
      this.maxQueueBytes = maxQueueBytes;
      return this;
    }

    /**
     * Sets the most traces in one batch (default 100).
     *
     * @throws IllegalArgumentException if it is under 1 or over 100, the most {@code ingestTraces} takes
     */
    public Builder maxBatchSize(int maxBatchSize) {
      if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
        throw new IllegalArgumentException("maxBatchSize must be between 1 and " + MAX_BATCH_SIZE
            + " (the most ingestTraces takes in one call), got " + maxBatchSize);
      }
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * Sets the most bytes of JSON in one request body (default 1 MiB).
     *
     * @throws IllegalArgumentException if it is under 1 KiB or over 64 MiB
     */
    public Builder maxBatchBytes(int maxBatchBytes) {
      if (maxBatchBytes < 1024 || maxBatchBytes > 64 * 1024 * 1024) {
        throw new IllegalArgumentException("maxBatchBytes must be between 1 KiB (1024) and 64 MiB, got "
            + maxBatchBytes + "; the default is 1 MiB");
      }
      this.maxBatchBytes = maxBatchBytes;
      return this;
    }

    /**
     * Sets the longest a queued trace waits for a batch to fill (default 90 s). Shorter means
     * fresher traces on the server and more requests: see the cost in {@link TraceBatcherOptions}.
     *
     * @throws IllegalArgumentException if it is null, under 1 ms or over 24 hours
     */
    public Builder interval(Duration interval) {
      this.interval = checkDuration("interval", interval, Duration.ofHours(24), "Duration.ofSeconds(90)");
      return this;
    }

    /**
     * Sets the timeout of one batch's call, the client's retries included (default 30 s).
     *
     * @throws IllegalArgumentException if it is null, under 1 ms or over 24 hours
     */
    public Builder sendTimeout(Duration sendTimeout) {
      this.sendTimeout = checkDuration("sendTimeout", sendTimeout, Duration.ofHours(24), "Duration.ofSeconds(30)");
      return this;
    }

    /**
     * Sets how long a close waits for what is held to be sent (default 10 s).
     *
     * @throws IllegalArgumentException if it is null, under 1 ms or over 24 hours
     */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = checkDuration("closeTimeout", closeTimeout, Duration.ofHours(24), "Duration.ofSeconds(10)");
      return this;
    }

    /**
     * Sets the most batches in flight at once (default 2).
     *
     * @throws IllegalArgumentException if it is under 1 or over 16
     */
    public Builder maxConcurrentBatches(int maxConcurrentBatches) {
      if (maxConcurrentBatches < 1 || maxConcurrentBatches > 16) {
        throw new IllegalArgumentException("maxConcurrentBatches must be between 1 and 16, got "
            + maxConcurrentBatches + "; the default is 2");
      }
      this.maxConcurrentBatches = maxConcurrentBatches;
      return this;
    }

    /**
     * Sets the listener told of dropped and failed traces (default none).
     *
     * @throws IllegalArgumentException if it is null
     */
    public Builder listener(TraceBatcherListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("listener must not be null; leave it unset for none");
      }
      this.listener = listener;
      return this;
    }

    /**
     * Sets whether a JVM shutdown hook closes the batcher (default false: the SDK adds none
     * unless asked). The hook closes it with its {@link #closeTimeout(Duration)}, and is removed
     * when the batcher closes otherwise. Closing the client is the usual way; use this when
     * nothing in the application closes it.
     */
    public Builder shutdownHook(boolean shutdownHook) {
      this.shutdownHook = shutdownHook;
      return this;
    }

    /**
     * Returns the options.
     *
     * @throws IllegalArgumentException if maxQueueBytes is smaller than maxBatchBytes
     */
    public TraceBatcherOptions build() {
      if (maxQueueBytes < maxBatchBytes) {
        throw new IllegalArgumentException("maxQueueBytes (" + maxQueueBytes + ") must be at least maxBatchBytes ("
            + maxBatchBytes + "), or the queue could not hold one full batch");
      }
      return new TraceBatcherOptions(this);
    }

    private static Duration checkDuration(String name, Duration value, Duration max, String example) {
      if (value == null || value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(name + " must be between 1 ms and 24 hours, got " + value + "; e.g. "
            + example);
      }
      return value;
    }
  }
}
