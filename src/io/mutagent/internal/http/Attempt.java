package io.mutagent.internal.http;

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

  /** Set once the request got a connection, so it may have been sent. */
  volatile boolean connectionAcquired;
  /** Set when that connection had served a request before (it came from the pool). */
  volatile boolean connectionReused;
  /** Set once the response's status line and headers were read. */
  volatile boolean responseStarted;

  Attempt(CallPlan plan, int retryCount, @Nullable String authName, @Nullable String authValue) {
    this.plan = plan;
    this.retryCount = retryCount;
    this.authName = authName;
    this.authValue = authValue;
  }

  /** Returns the attempt number counted from 1, for messages and logs. */
  public int number() {
    return retryCount + 1;
  }

  /** Describes the attempt without the credential. */
  @Override
  public String toString() {
    return "Attempt{" + number() + ", acquired=" + connectionAcquired + ", reused=" + connectionReused
        + ", responseStarted=" + responseStarted + "}";
  }
}
