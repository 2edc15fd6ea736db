package io.mutagent.bulk;

import org.jspecify.annotations.Nullable;

/**
 * How a chunked bulk method sends its items: the most items and bytes per chunk, whether it stops
 * at the first failed chunk, and who is told of the progress. Immutable; build one with
 * {@link #builder()}, or take {@link #defaults()}.
 *
 * <p>By default a chunk holds as many items as the operation takes in one request (the spec's
 * {@code maxItems}: 1,000 for dataset items) and at most {@link #DEFAULT_MAX_CHUNK_BYTES} (1 MiB) of
 * JSON body, measured with the SDK's own JSON encoding; an item bigger than that alone goes in a
 * chunk of its own. After a failed chunk the upload goes on with the next one, and the summary
 * lists the failed chunks with their items; but after a 401, 403, 404 or a spent daily quota it
 * stops whatever this option says, since every later chunk would fail the same way. A chunk the
 * rate limiter would have to hold past its timeout ({@code RateLimitWaitException}, nothing sent)
 * is sent again with twice the timeout, up to three times (from the per-call options' timeout,
 * else 60 s), so that it waits for the window; if even that is too short, the upload stops.
 */
public final class BulkOptions {
  /** The default most bytes of one chunk's JSON body: 1 MiB. */
  public static final long DEFAULT_MAX_CHUNK_BYTES = 1L << 20;
  /** The smallest {@link Builder#maxChunkBytes} allowed: 1 KiB. */
  public static final long MIN_MAX_CHUNK_BYTES = 1L << 10;
  private static final BulkOptions DEFAULTS = builder().build();

  private final int chunkSize;
  private final long maxChunkBytes;
  private final boolean stopOnFirstFailure;
  private final @Nullable BulkProgressListener listener;

  private BulkOptions(Builder builder) {
    this.chunkSize = builder.chunkSize;
    this.maxChunkBytes = builder.maxChunkBytes;
    this.stopOnFirstFailure = builder.stopOnFirstFailure;
    this.listener = builder.listener;
  }

  /** Returns the defaults: the operation's most items a chunk, 1 MiB a chunk, go on after a failure, no listener. */
  public static BulkOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder starting from these options. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.chunkSize = chunkSize;
    builder.maxChunkBytes = maxChunkBytes;
    builder.stopOnFirstFailure = stopOnFirstFailure;
    builder.listener = listener;
    return builder;
  }

  /** Returns the most items per chunk, or 0 for the operation's own most (the spec's maxItems). */
  public int chunkSize() {
    return chunkSize;
  }

  /** Returns the most bytes of one chunk's JSON body. */
  public long maxChunkBytes() {
    return maxChunkBytes;
  }

  /** Returns whether the upload stops at the first failed chunk (default false: it goes on). */
  public boolean stopOnFirstFailure() {
    return stopOnFirstFailure;
  }

  /** Returns the progress listener, or null. */
  public @Nullable BulkProgressListener listener() {
    return listener;
  }

  @Override
  public String toString() {
    return "BulkOptions{chunkSize=" + (chunkSize == 0 ? "the operation's most" : String.valueOf(chunkSize))
        + ", maxChunkBytes=" + maxChunkBytes + ", stopOnFirstFailure=" + stopOnFirstFailure
        + (listener != null ? ", listener" : "") + "}";
  }

  /** Builds {@link BulkOptions}. Not thread-safe; the options it builds are. */
  public static final class Builder {
    private int chunkSize;
    private long maxChunkBytes = DEFAULT_MAX_CHUNK_BYTES;
    private boolean stopOnFirstFailure;
    private @Nullable BulkProgressListener listener;

    private Builder() {}

    /**
     * Sets the most items per chunk (default 0: the operation's most, the spec's maxItems). A
     * chunk may hold fewer, to stay under {@link #maxChunkBytes}. The call fails with
     * {@link IllegalArgumentException} before anything is sent if this is above the operation's
     * most.
     *
     * @throws IllegalArgumentException if it is negative
     */
    public Builder chunkSize(int chunkSize) {
      if (chunkSize < 0) {
        throw new IllegalArgumentException("chunkSize must be 0 (the operation's most) or more, got " + chunkSize
            + "; e.g. 100");
      }
      this.chunkSize = chunkSize;
      return this;
    }

    /**
     * Sets the most bytes of one chunk's JSON body (default 1 MiB), measured with the SDK's own
     * JSON encoding in UTF-8. An item bigger than this alone is sent in a chunk of its own.
     *
     * @throws IllegalArgumentException if it is under 1 KiB
     */
    public Builder maxChunkBytes(long maxChunkBytes) {
      if (maxChunkBytes < MIN_MAX_CHUNK_BYTES) {
        throw new IllegalArgumentException("maxChunkBytes must be at least " + MIN_MAX_CHUNK_BYTES + " (1 KiB), got "
            + maxChunkBytes + "; the default is " + DEFAULT_MAX_CHUNK_BYTES + " (1 MiB)");
      }
      this.maxChunkBytes = maxChunkBytes;
      return this;
    }

    /**
     * Sets whether the upload stops at the first failed chunk (true) or goes on with the next
     * chunks (false, the default). Either way the summary lists the failed chunk with its items.
     */
    public Builder stopOnFirstFailure(boolean stopOnFirstFailure) {
      this.stopOnFirstFailure = stopOnFirstFailure;
      return this;
    }

    /**
     * Sets the listener told of the progress after each chunk (default none); see
     * {@link BulkProgressLine} for a ready one-line display.
     */
    public Builder listener(@Nullable BulkProgressListener listener) {
      this.listener = listener;
      return this;
    }

    /** Returns the options. */
    public BulkOptions build() {
      return new BulkOptions(this);
    }
  }
}
