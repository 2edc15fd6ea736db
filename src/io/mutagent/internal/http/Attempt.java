package io.mutagent.internal.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of one call, which the interceptors find through the request's {@link CallHeaders}:
 * what its headers hold (from the call's {@link CallPlan}, the attempt number and the credential
 * read for this attempt), and what the connection tracker saw happen, which the retry policy reads
 * after a failure. Internal.
 */
public final class Attempt {
  final CallPlan plan;
  /** 0 for the first attempt, n for the n-th retry. */
  final int retryCount;
  /** The credential header for this attempt, or null to send none. */
  final @Nullable String authName;
  final @Nullable String authValue;
  /** The client state that made the call, whose close() cancels it. */
  final @Nullable ClientState owner;
  /**
   * When this attempt must end, on the {@link System#nanoTime()} scale (the call's deadline, which
   * {@link DeadlineWatch} enforces), or Long.MAX_VALUE for none.
   */
  final long deadline;

  /**
   * How often {@link DeadlineWatch} looks whether the thread of a blocking call in flight was
   * interrupted: a socket read does not see an interrupt, so the watch cancels the call for it.
   */
  static final long INTERRUPT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** The thread blocked in a blocking call's attempt, whose interrupt ends it; null for async. */
  final @Nullable Thread caller;

  /** Set by {@link DeadlineWatch} just before it cancels this attempt's call at its deadline. */
  volatile boolean timedOut;
  /** Set by {@link DeadlineWatch} just before it cancels this attempt's call for an interrupt of its caller. */
  volatile boolean interrupted;
  /** Told when the watch ends this attempt (an async call's), or null. */
  volatile @Nullable TimeoutListener timeoutListener;

  /** What the watch tells when it ends an attempt at its deadline. */
  interface TimeoutListener {
    /**
     * Called on the watch's thread, after it cancelled the attempt's call: must return at once.
     *
     * @param attempt the attempt that timed out
     */
    void timedOut(Attempt attempt);
  }

  /** Set when OkHttp starts running the call (its first interceptor): it is no longer queued. */
  volatile boolean running;
  /** Set once the request got a connection, so it may have been sent. */
  volatile boolean connectionAcquired;
  /** Set when that connection had served a request before (it came from the pool). */
  volatile boolean connectionReused;
  /** Set once the response's status line and headers were read. */
  volatile boolean responseStarted;
  /** Set once the attempt's request went to the network: OkHttp may not send it again (see ResendRefused). */
  volatile boolean sent;
  /** The attempt's error answer with its body buffered, kept in case OkHttp tries to resend after it. */
  volatile okhttp3.@Nullable Response answer;

  Attempt(CallPlan plan, int retryCount, @Nullable ClientState owner, long deadline, @Nullable Thread caller,
      @Nullable String authName, @Nullable String authValue) {
    this.plan = plan;
    this.retryCount = retryCount;
    this.owner = owner;
    this.deadline = deadline;
    this.caller = caller;
    this.authName = authName;
    this.authValue = authValue;
  }

  /**
   * Returns when {@link DeadlineWatch} must next look at this attempt: its deadline, or for a
   * blocking call's, at the latest {@link #INTERRUPT_POLL_NANOS} from now, to see an interrupt.
   */
  long lookBy() {
    if (caller == null) {
      return deadline;
    }
    long poll = System.nanoTime() + INTERRUPT_POLL_NANOS;
    return deadline == Long.MAX_VALUE || poll - deadline < 0 ? poll : deadline;
  }

  /**
   * Returns the failure to report for this attempt: a timeout when the watch cancelled it at the
   * deadline, else the failure as it came.
   *
   * @param failure what the call failed with
   */
  IOException failure(IOException failure) {
    return !timedOut || isTimeout(failure) ? failure : timeout(failure);
  }

  /** Returns a timeout as OkHttp reports its own call timeout: {@code InterruptedIOException("timeout")}. */
  static InterruptedIOException timeout(@Nullable Throwable cause) {
    InterruptedIOException timeout = new InterruptedIOException("timeout");
    if (cause != null) {
      timeout.initCause(cause);
    }
    return timeout;
  }

  private static boolean isTimeout(IOException failure) {
    return failure instanceof InterruptedIOException && "timeout".equals(failure.getMessage());
  }

  /** Returns the attempt number counted from 1, for messages and logs. */
  public int number() {
    return retryCount + 1;
  }

  /** Describes the attempt without the credential. */
  @Override
  public String toString() {
    return "Attempt{" + number() + ", acquired=" + connectionAcquired + ", reused=" + connectionReused
        + ", responseStarted=" + responseStarted + (timedOut ? ", timedOut" : "") + "}";
  }
}
