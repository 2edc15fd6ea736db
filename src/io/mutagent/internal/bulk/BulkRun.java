package io.mutagent.internal.bulk;

import io.mutagent.RequestOptions;
import io.mutagent.bulk.BulkOptions;
import io.mutagent.bulk.BulkProgress;
import io.mutagent.bulk.BulkProgressListener;
import io.mutagent.bulk.BulkResult;
import io.mutagent.bulk.BulkUploadException;
import io.mutagent.bulk.FailedChunk;
import io.mutagent.errors.AuthenticationException;
import io.mutagent.errors.MutagentException;
import io.mutagent.errors.NotFoundException;
import io.mutagent.errors.PermissionDeniedException;
import io.mutagent.errors.QuotaExceededException;
import io.mutagent.errors.RateLimitWaitException;
import io.mutagent.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One bulk upload's state: reads the items into chunks (by count and by JSON bytes), gives each
 * chunk its options ({@code background(true)} and its own {@code Idempotency-Key}), keeps the
 * counts and failed chunks, and tells the listener. Used by one thread at a time (the async
 * driver hands it on through the chunks' futures). Internal.
 *
 * @param <T> the type of one item
 */
final class BulkRun<T> {
  /** The longest caller's key the chunk keys are made from: room for "-" and the chunk number. */
  static final int MAX_KEY_BASE = 240;
  /**
   * How many times a chunk the rate limiter refused (its window had no room before the chunk's
   * deadline; nothing sent) is tried again, each time with twice the timeout.
   */
  static final int LONGER_WAITS = 3;
  /** The timeout a chunk's longer waits start from when the caller set none: the client's default. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Iterator<? extends T> items;
  private final long total;
  private final int chunkSize;
  private final long maxChunkBytes;
  private final int envelopeBytes;
  private final RequestOptions requestOptions;
  private final String keyBase;
  private final boolean stopOnFirstFailure;
  private final @Nullable BulkProgressListener listener;

  private @Nullable T lookahead;
  private long lookaheadBytes;
  private boolean hasLookahead;
  private long itemsRead;
  private int nextChunk;
  private long itemsAdded;
  private long itemsFailed;
  private int chunksSent;
  private final List<FailedChunk<T>> failed = new ArrayList<>();
  private boolean stopped;

  /** One chunk to send. */
  static final class Chunk<T> {
    final int index;
    final long firstItem;
    final List<T> items;
    final String key;
    RequestOptions options;
    int longerWaits;

    Chunk(int index, long firstItem, List<T> items, RequestOptions options, String key) {
      this.index = index;
      this.firstItem = firstItem;
      this.items = items;
      this.options = options;
      this.key = key;
    }
  }

  /**
   * Checks the arguments; nothing is read or sent yet.
   *
   * @param source the items and their count, if known
   * @param maxItems the most items of one request (the spec's maxItems)
   * @param itemsField the body's array field, for the body's size
   * @throws IllegalArgumentException if an option is null or does not fit the operation, or a
   *     collection holds a null item
   */
  BulkRun(BulkUploads.Source<T> source, @Nullable BulkOptions options, @Nullable RequestOptions requestOptions,
      int maxItems, String itemsField) {
    if (options == null) {
      throw new IllegalArgumentException("bulkOptions must not be null; pass BulkOptions.defaults()");
    }
    if (requestOptions == null) {
      throw new IllegalArgumentException("options must not be null; pass RequestOptions.none()");
    }
    if (options.chunkSize() > maxItems) {
      throw new IllegalArgumentException("chunkSize " + options.chunkSize() + " is above the " + maxItems
          + " items the API takes in one request; pass at most " + maxItems + " (or 0 for " + maxItems + ")");
    }
    String key = requestOptions.idempotencyKey().orElse(null);
    if (key != null && key.length() > MAX_KEY_BASE) {
      throw new IllegalArgumentException("idempotencyKey must be at most " + MAX_KEY_BASE + " characters for a "
          + "bulk upload (each chunk's key is it plus \"-\" and the chunk's number), got " + key.length());
    }
    this.items = source.items;
    this.total = source.total;
    this.chunkSize = options.chunkSize() == 0 ? maxItems : options.chunkSize();
    this.maxChunkBytes = options.maxChunkBytes();
    this.envelopeBytes = Utf8.length(itemsField) + 7; // {"<field>":[...]}
    this.requestOptions = requestOptions;
    this.keyBase = key != null ? key : "bulk-" + UUID.randomUUID();
    this.stopOnFirstFailure = options.stopOnFirstFailure();
    this.listener = options.listener();
  }

  /**
   * Reads the next chunk: up to the chunk size, and while its body stays within the byte limit
   * (an item bigger than the limit alone goes alone).
   *
   * @return the chunk, or null when no item is left
   * @throws IllegalArgumentException if an item is null (the chunk holding it is not sent)
   */
  @Nullable Chunk<T> next() {
    if (!hasMore()) {
      return null;
    }
    long first = itemsRead - 1;
    List<T> chunk = new ArrayList<>();
    long bytes = envelopeBytes;
    while (chunk.size() < chunkSize && hasMore()) {
      long added = lookaheadBytes + (chunk.isEmpty() ? 0 : 1);
      if (!chunk.isEmpty() && bytes + added > maxChunkBytes) {
        break;
      }
      bytes += added;
      chunk.add(Objects.requireNonNull(lookahead)); // hasMore() filled it, checked non-null
      lookahead = null;
      hasLookahead = false;
    }
    int index = nextChunk++;
    String key = keyBase + "-" + index;
    RequestOptions options = requestOptions.toBuilder().background(true).idempotencyKey(key).build();
    return new Chunk<>(index, first, chunk, options, key);
  }

  /**
   * Returns whether an item is left to send (reading it ahead).
   *
   * @throws IllegalArgumentException if the next item is null
   */
  boolean hasMore() {
    if (hasLookahead) {
      return true;
    }
    if (stopped || !items.hasNext()) {
      return false;
    }
    T item = items.next();
    if (item == null) {
      throw new IllegalArgumentException("items[" + itemsRead + "] is null; " + itemsAdded + " items were added "
          + "before it (in " + chunksSent + " chunks), and no item from its chunk on was sent");
    }
    itemsRead++;
    lookahead = item;
    lookaheadBytes = Utf8.length(Json.gson().toJson(item));
    hasLookahead = true;
    return true;
  }

  /** Notes a chunk the server accepted. */
  void sent(Chunk<T> chunk) {
    chunksSent++;
    itemsAdded += chunk.items.size();
  }

  /**
   * Decides whether a failed chunk goes again: when the rate limiter refused it because its window
   * has no room before the chunk's deadline (nothing was sent), up to {@link #LONGER_WAITS} times,
   * each time with twice the timeout (of the caller's options, else 60 s), so that it waits for the
   * window instead; the later chunks would meet the same window.
   *
   * @return whether to send the chunk again, with its new {@link Chunk#options}
   */
  boolean waitLonger(Chunk<T> chunk, MutagentException error) {
    if (!(error instanceof RateLimitWaitException) || ((RateLimitWaitException) error).sent()
        || chunk.longerWaits >= LONGER_WAITS) {
      return false;
    }
    chunk.longerWaits++;
    Duration timeout = requestOptions.timeout().orElse(DEFAULT_TIMEOUT).multipliedBy(1L << chunk.longerWaits);
    chunk.options = chunk.options.toBuilder().timeout(timeout).build();
    return true;
  }

  /**
   * Notes a chunk that failed.
   *
   * @return whether the upload goes on: false at the first failure when asked, and after a
   *     failure every later chunk would meet (401, 403, 404, a spent daily quota, a window the
   *     limiter could not wait for even with {@link #LONGER_WAITS} longer timeouts)
   */
  boolean failed(Chunk<T> chunk, MutagentException error) {
    itemsFailed += chunk.items.size();
    failed.add(new FailedChunk<>(chunk.index, chunk.firstItem, chunk.items, error, chunk.key));
    boolean hopeless = error instanceof AuthenticationException || error instanceof PermissionDeniedException
        || error instanceof NotFoundException || error instanceof QuotaExceededException
        || error instanceof RateLimitWaitException;
    if (stopOnFirstFailure || hopeless) {
      stopped = true;
      return false;
    }
    return true;
  }

  /**
   * Tells the listener, if any, where the upload stands.
   *
   * @param finished whether this is the last progress
   * @throws BulkUploadException if the listener throws anything (its cause)
   */
  void tell(boolean finished) {
    if (listener == null) {
      return;
    }
    BulkProgress progress = new BulkProgress(itemsAdded, itemsFailed, total, chunksSent, failed.size(), finished);
    try {
      listener.onProgress(progress);
    } catch (Throwable e) {
      throw new BulkUploadException("the bulk upload's progress listener threw " + e.getClass().getName()
          + "; the upload ended there, no further chunk was sent (" + itemsAdded + " items added in " + chunksSent
          + " chunks, " + failed.size() + " chunks failed)", e, result());
    }
  }

  /** Returns the summary so far. */
  BulkResult<T> result() {
    return new BulkResult<>(itemsAdded, chunksSent, failed, stopped);
  }
}
