package io.mutagent.jobs;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a wait on a long-running job polls and when it gives up. Immutable; made with
 * {@link #builder()}, or {@link #defaults()}.
 *
 * <p>The job's status is read first after {@link Builder#firstInterval firstInterval}, then each
 * interval is {@link Builder#growth growth} times the last, up to
 * {@link Builder#maxInterval maxInterval}; each is then moved by a random share of up to
 * {@link Builder#jitter jitter} either way, so that many waits do not poll in step. The whole wait,
 * every poll and pause included, ends after {@link Builder#totalTimeout totalTimeout} with
 * {@link JobWaitTimeoutException}; each poll keeps its own request timeout (the client's, or the
 * {@code RequestOptions} given to the waiting method). The defaults (2 s growing by 1.5 to 60 s,
 * jitter 0.2, 2 hours in all) keep a 30-minute optimization under 70 requests.
 */
public final class WaitOptions {
  /** The default total timeout: 2 hours (optimizations take up to an hour). */
  public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofHours(2);
  /** The default first interval: 2 seconds. */
  public static final Duration DEFAULT_FIRST_INTERVAL = Duration.ofSeconds(2);
  /** The default longest interval: 60 seconds. */
  public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(60);
  /** The default growth of the interval from one poll to the next: 1.5. */
  public static final double DEFAULT_GROWTH = 1.5;
  /** The default jitter: each interval moves by up to 20 % either way. */
  public static final double DEFAULT_JITTER = 0.2;

  private static final WaitOptions DEFAULTS = new Builder().build();

  private final Duration totalTimeout;
  private final Duration firstInterval;
  private final Duration maxInterval;
  private final double growth;
  private final double jitter;
  private final boolean endOnPause;
  private final @Nullable JobListener listener;

  private WaitOptions(Builder builder) {
    this.totalTimeout = builder.totalTimeout;
    this.firstInterval = builder.firstInterval;
    this.maxInterval = builder.maxInterval;
    this.growth = builder.growth;
    this.jitter = builder.jitter;
    this.endOnPause = builder.endOnPause;
    this.listener = builder.listener;
  }

  /** Returns the default options: see the class comment. */
  public static WaitOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder starting from these options. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.totalTimeout = totalTimeout;
    builder.firstInterval = firstInterval;
    builder.maxInterval = maxInterval;
    builder.growth = growth;
    builder.jitter = jitter;
    builder.endOnPause = endOnPause;
    builder.listener = listener;
    return builder;
  }

  /** Returns how long the whole wait may take. */
  public Duration totalTimeout() {
    return totalTimeout;
  }

  /** Returns the interval before the first poll (before jitter). */
  public Duration firstInterval() {
    return firstInterval;
  }

  /** Returns the longest interval between two polls (before jitter). */
  public Duration maxInterval() {
    return maxInterval;
  }

  /** Returns the factor each interval grows by over the last. */
  public double growth() {
    return growth;
  }

  /** Returns the largest share by which an interval moves either way at random. */
  public double jitter() {
    return jitter;
  }

  /** Returns whether a paused job ends the wait ({@link JobPausedException}) instead of being waited on. */
  public boolean endOnPause() {
    return endOnPause;
  }

  /** Returns the listener, or null for none. */
  public @Nullable JobListener listener() {
    return listener;
  }

  /**
   * Returns the interval before poll {@code n} (0 for the first), before jitter:
   * {@code min(firstInterval * growth^n, maxInterval)}.
   *
   * @param n the number of polls made since the wait started
   * @return the interval
   * @throws IllegalArgumentException if n is negative
   */
  public Duration interval(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be 0 or more, not " + n);
    }
    double nanos = firstInterval.toNanos();
    double max = maxInterval.toNanos();
    for (int i = 0; i < n && nanos < max; i++) {
      nanos *= growth;
    }
    return Duration.ofNanos((long) Math.min(nanos, max));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WaitOptions)) {
      return false;
    }
    WaitOptions that = (WaitOptions) o;
    return totalTimeout.equals(that.totalTimeout) && firstInterval.equals(that.firstInterval)
        && maxInterval.equals(that.maxInterval) && growth == that.growth && jitter == that.jitter
        && endOnPause == that.endOnPause && Objects.equals(listener, that.listener);
  }

  @Override
  public int hashCode() {
    return Objects.hash(totalTimeout, firstInterval, maxInterval, growth, jitter, endOnPause, listener);
  }

  @Override
  public String toString() {
    return "WaitOptions{totalTimeout=" + totalTimeout + ", firstInterval=" + firstInterval + ", maxInterval="
        + maxInterval + ", growth=" + growth + ", jitter=" + jitter + ", endOnPause=" + endOnPause
        + ", listener=" + (listener == null ? "none" : listener.getClass().getName()) + "}";
  }

  /** Builds {@link WaitOptions}; every setter checks its value at once. */
  public static final class Builder {
    private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;
    private Duration firstInterval = DEFAULT_FIRST_INTERVAL;
    private Duration maxInterval = DEFAULT_MAX_INTERVAL;
    private double growth = DEFAULT_GROWTH;
    private double jitter = DEFAULT_JITTER;
    private boolean endOnPause;
    private @Nullable JobListener listener;

    private Builder() {}

    /**
     * Sets how long the whole wait may take (default 2 hours); then it ends with
     * {@link JobWaitTimeoutException}, and the job goes on on the server.
     *
     * @throws IllegalArgumentException if null, zero or negative
     */
    public Builder totalTimeout(Duration totalTimeout) {
      this.totalTimeout = positive("totalTimeout", totalTimeout, "Duration.ofMinutes(30)");
      return this;
    }

    /**
     * Sets the interval before the first poll (default 2 s).
     *
     * @throws IllegalArgumentException if null, zero or negative
     */
    public Builder firstInterval(Duration firstInterval) {
      this.firstInterval = positive("firstInterval", firstInterval, "Duration.ofSeconds(2)");
      return this;
    }

    /**
     * Sets the longest interval between two polls (default 60 s); it must not be shorter than the
     * first interval (checked by {@link #build()}).
     *
     * @throws IllegalArgumentException if null, zero or negative
     */
    public Builder maxInterval(Duration maxInterval) {
      this.maxInterval = positive("maxInterval", maxInterval, "Duration.ofSeconds(60)");
      return this;
    }

    /**
     * Sets the factor each interval grows by over the last (default 1.5; 1 keeps it fixed).
     *
     * @throws IllegalArgumentException if below 1, or not finite
     */
    public Builder growth(double growth) {
      if (!(growth >= 1) || Double.isInfinite(growth)) {
        throw new IllegalArgumentException("growth must be 1 or more (1 keeps the interval fixed), not " + growth);
      }
      this.growth = growth;
      return this;
    }

    /**
     * Sets the largest share by which each interval moves either way at random (default 0.2: from
     * 80 % to 120 % of it; 0 for none).
     *
     * @throws IllegalArgumentException if not in [0, 1)
     */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter < 1)) {
        throw new IllegalArgumentException("jitter must be from 0 (none) up to but not including 1, not " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * Sets whether a paused job ends the wait with {@link JobPausedException} (default false: the
     * wait goes on, the listener is told, and the total timeout still applies; a paused
     * optimization moves again only after {@code resumeOptimization}).
     */
    public Builder endOnPause(boolean endOnPause) {
      this.endOnPause = endOnPause;
      return this;
    }

    /**
     * Sets the listener that hears the job's progress ({@link ProgressLine#to} draws a one-line
     * display). It runs on the waiting thread (blocking) or on the client's dispatcher threads
     * (async), never on a JVM-shared thread; whatever it throws ends that wait with
     * {@link JobListenerException}.
     *
     * @throws IllegalArgumentException if null
     */
    public Builder listener(JobListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("listener must not be null; leave it unset for none");
      }
      this.listener = listener;
      return this;
    }

    /**
     * Builds the options.
     *
     * @throws IllegalArgumentException if maxInterval is shorter than firstInterval
     */
    public WaitOptions build() {
      if (maxInterval.compareTo(firstInterval) < 0) {
        throw new IllegalArgumentException("maxInterval (" + maxInterval + ") must not be shorter than firstInterval ("
            + firstInterval + ")");
      }
      return new WaitOptions(this);
    }

    private static Duration positive(String name, @Nullable Duration value, String example) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be a positive duration, e.g. " + example + ", not " + value);
      }
      return value;
    }
  }
}
