package io.mutagent.internal.http;

import io.mutagent.internal.Check;
import io.mutagent.LogLevel;
import io.mutagent.RawResponse;
import io.mutagent.RequestOptions;
import io.mutagent.errors.MutagentException;
import io.mutagent.errors.MutagentInvalidDataException;
import io.mutagent.internal.JsonConverterFactory;
import io.mutagent.internal.text.KnownSecrets;
import io.mutagent.errors.MutagentIoException;
import io.mutagent.errors.QuotaExceededException;
import io.mutagent.errors.RateLimitWaitException;
import io.mutagent.internal.ratelimit.Permit;
import io.mutagent.internal.ratelimit.RateLimiters;
import io.mutagent.ratelimit.RateLimitListener;
import io.mutagent.ratelimit.RateLimitStatus;
import io.mutagent.ratelimit.RateLimitWait;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import retrofit2.Call;
import retrofit2.Callback;
import retrofit2.Invocation;
import retrofit2.Response;
import org.jspecify.annotations.Nullable;

/**
 * Runs one call to the end: plans it, makes each attempt through a fresh Retrofit call, asks
 * {@link RetryPolicy} after each failed one, waits (blocking, or scheduled without holding a
 * thread), and gives up at the call's deadline. The blocking and async paths follow the same
 * steps. All state of a call lives in that call's plan and attempts. Internal.
 */
public final class CallRunner {
  /**
   * What a call gives back from a successful response: its body, or the whole response. Checks
   * that an operation promising a body got one.
   *
   * @param <T> the body's type
   * @param <R> what the call gives
   */
  public interface Result<T, R> {
    /**
     * Makes the result.
     *
     * @throws MutagentInvalidDataException if the operation promises a body and none came
     */
    R of(Call<T> call, Response<T> response);
  }

  /** Returns the result that is the body alone (no copy of the headers is made). */
  public static <T> Result<T, T> body() {
    return CallRunner::checkedBody;
  }

  /** Returns the result that is the whole response. */
  public static <T> Result<T, RawResponse<T>> rawResponse() {
    return CallRunner::raw;
  }

  private final ClientSettings settings;
  private final ClientState state;
  private final ErrorMapper errors;
  private final Scheduler scheduler;
  private final int clientCallTimeoutMillis;
  private final System.Logger logger;
  private final KnownSecrets secrets;
  private final RateLimiters limiters;
  /** The hash naming the window of the credential last sent, for {@link #rateLimitStatus()}. */
  private volatile @Nullable String lastCredential;

  /**
   * Creates the runner.
   *
   * @param clientCallTimeoutMillis the OkHttpClient's own call timeout, used when neither the
   *     client nor a call sets one
   * @param logger where retries are logged at INFO, when the client's log level is not OFF
   * @param secrets notes each credential sent, so that messages and logs can mask it
   * @param limiters the client family's rate limiters, asked before each attempt
   */
  public CallRunner(ClientSettings settings, ClientState state, ErrorMapper errors, Scheduler scheduler,
      int clientCallTimeoutMillis, System.Logger logger, KnownSecrets secrets, RateLimiters limiters) {
    this.settings = settings;
    this.state = state;
    this.errors = errors;
    this.scheduler = scheduler;
    this.clientCallTimeoutMillis = clientCallTimeoutMillis;
    this.logger = logger;
    this.secrets = secrets;
    this.limiters = limiters;
  }

  /**
   * Runs the call on the calling thread and returns its response. An interrupt of the thread, in
   * flight or while waiting to retry, cancels the call and ends it at once, the thread's interrupt
   * flag left set.
   *
   * @param calls makes the Retrofit call for an attempt
   * @throws io.mutagent.errors.MutagentApiException for an error status, after the retries allowed
   * @throws io.mutagent.errors.MutagentIoException when no response came, after the retries
   *     allowed, or when the thread was interrupted (its cause an {@link InterruptedIOException})
   * @throws IllegalStateException if the client is closed, before or during the call
   * @throws IllegalArgumentException if the options do not fit the client
   */
  public <T, R> R execute(Function<Attempt, Call<T>> calls, RequestOptions options, Result<T, R> result) {
    state.ensureOpen();
    CallPlan plan = CallPlan.create(settings, options, scheduler.nanoTime(), clientCallTimeoutMillis);
    Thread caller = Thread.currentThread();
    boolean resent = false; // the one resend at once after a stale pooled connection
    for (int retries = 0; ; retries++) {
      state.ensureOpen();
      Attempt attempt = newAttempt(plan, retries, caller);
      Call<T> call = calls.apply(attempt);
      if (caller.isInterrupted()) {
        throw interrupted(call, false, null);
      }
      String method = call.request().method();
      Permit permit = limiters.active() ? admit(call, attempt, plan) : null;
      RetryPolicy.Decision decision;
      RuntimeException failure;
      try {
        if (!state.resources().started(call, attempt)) {
          throw state.closedError(false); // closed at this very moment: nothing was sent
        }
        Response<T> response;
        try {
          response = call.execute();
        } catch (ResendRefused refused) {
          response = refused.asResponse();
        } catch (MutagentInvalidDataException e) {
          throw invalid(call, e);
        }
        if (response.isSuccessful()) {
          answered(permit, response, null);
          return result.of(call, response);
        }
        failure = errors.fromResponse(response, retries);
        answered(permit, response, failure);
        decision = failure instanceof QuotaExceededException ? RetryPolicy.Decision.STOP
            : RetryPolicy.afterStatus(method, response.code(), ErrorMapper.headers(response.headers()),
                retries, plan.maxRetries, receivedAt(response), scheduler.random());
      } catch (IOException cause) {
        if (attempt.interrupted || caller.isInterrupted()) {
          throw interrupted(call, true, cause);
        }
        if (state.isClosed()) {
          throw state.closedError(true);
        }
        IOException e = attempt.failure(cause);
        if (JsonConverterFactory.corruptEncoding(e)) {
          throw invalid(call, JsonConverterFactory.corrupt(e));
        }
        if (!resent && RetryPolicy.staleConnection(e, attempt)) {
          resent = true;
          resendAtOnce(call);
          retries--; // the same attempt again, not a retry
          continue;
        }
        failure = errors.io(call.request(), e, retries);
        decision = RetryPolicy.afterFailure(method, e, attempt, retries, plan.maxRetries, scheduler.random());
      } finally {
        state.resources().finished(call);
        if (permit != null) {
          permit.unanswered(); // does nothing once answered
        }
      }
      if (!decision.retry || !fitsDeadline(plan, decision.delay)) {
        throw failure;
      }
      pause(call, attempt, plan, decision);
    }
  }

  /**
   * Asks the rate limiters for a permit to send a blocking call's attempt, waiting as they say:
   * woken early when a permit is released or a window learns, at once by close() (then fails with
   * the closed error, nothing sent) or an interrupt (fails as interrupted, nothing sent). A wait
   * the call's deadline cannot hold fails at once, nothing sent.
   *
   * @throws QuotaExceededException if the daily quota is spent
   * @throws RateLimitWaitException if the window has no room before the call's deadline
   */
  private Permit admit(Call<?> call, Attempt attempt, CallPlan plan) {
    String credential = credentialOf(attempt, plan);
    boolean background = plan.options.background();
    boolean told = false;
    while (true) {
      RateLimiters.Answer answer = limiters.ask(credential, background, nowMillis(), scheduler.random());
      Permit permit = answer.permit;
      if (permit != null) {
        return permit;
      }
      Duration delay = waitFor(call, plan, attempt, answer);
      if (!told) {
        told = true;
        tellWait(call, delay, answer.reason, background);
      }
      RetryWait wait = new RetryWait(state, null);
      Runnable wake = wait.wake::countDown;
      limiters.addWaiter(wake);
      state.resources().startWaiting(wait);
      try {
        // Asked again once noted as waiting, so that a permit released in between is not missed.
        answer = limiters.ask(credential, background, nowMillis(), scheduler.random());
        if (answer.permit != null) {
          return answer.permit;
        }
        if (!wait.isOver()) {
          scheduler.sleep(delay, wait.wake);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(call, false, e);
      } finally {
        wait.finish();
        state.resources().stopWaiting(wait);
        limiters.removeWaiter(wake);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw interrupted(call, false, null);
      }
      if (state.isClosed()) {
        throw state.closedError(false);
      }
    }
  }

  /**
   * Returns how long an attempt waits for the limiters before it asks again: until the moment they
   * named, or the call's deadline for "until woken".
   *
   * @throws RateLimitWaitException if the window has room only after the call's deadline
   * @throws io.mutagent.errors.MutagentTimeoutException if the deadline has come while it waited
   *     for a {@code maxConcurrency} slot
   */
  private Duration waitFor(Call<?> call, CallPlan plan, Attempt attempt, RateLimiters.Answer answer) {
    long left = plan.deadline == Long.MAX_VALUE ? Long.MAX_VALUE
        : TimeUnit.NANOSECONDS.toMillis(plan.deadline - scheduler.nanoTime());
    if (answer.until == Long.MAX_VALUE) { // a maxConcurrency slot: free at any moment
      if (left <= 0) {
        throw errors.io(call.request(), Attempt.timeout(null), attempt.retryCount);
      }
      return Duration.ofMillis(Math.min(left, TimeUnit.DAYS.toMillis(1)));
    }
    long millis = Math.max(1, answer.until - nowMillis());
    if (millis >= left) {
      throw new RateLimitWaitException(operation(call) + " was not sent: " + answer.reason + ", which is "
          + millis + " ms away, past the call's deadline (" + Math.max(0, left) + " ms left). Nothing was sent; "
          + "give the call a longer timeout (RequestOptions.builder().timeout(...)) to let it wait",
          Instant.ofEpochMilli(answer.until));
    }
    return Duration.ofMillis(millis);
  }

  /**
   * Tells the wait to the listener (if any) and the log, once per attempt.
   *
   * @throws MutagentException if the listener throws anything (the call is not sent)
   */
  private void tellWait(Call<?> call, Duration delay, String reason, boolean background) {
    String what = call.request().method() + " " + call.request().url().encodedPath();
    if (settings.logLevel != LogLevel.OFF && logger.isLoggable(System.Logger.Level.INFO)) {
      logger.log(System.Logger.Level.INFO, "waiting up to " + delay.toMillis() + " ms before sending " + what
          + (background ? " (background work)" : "") + ": " + reason);
    }
    RateLimitListener listener = limiters.settings().listener();
    if (listener != null) {
      try {
        listener.onWait(new RateLimitWait(what, delay, reason, background));
      } catch (Throwable e) {
        throw new MutagentException("the RateLimits listener threw " + e.getClass().getName()
            + " for " + what + "; the call was not sent", e);
      }
    }
  }

  /** Teaches the window from an answer and frees the permit. */
  private void answered(@Nullable Permit permit, Response<?> response, @Nullable RuntimeException failure) {
    if (permit == null) {
      return;
    }
    long retryAt = 0;
    if (response.code() == 429) {
      retryAt = io.mutagent.RateLimit.of(ErrorMapper.headers(response.headers()), receivedAt(response)).retryAt()
          .map(Instant::toEpochMilli).orElse(0L);
    }
    permit.answered(response.headers(), response.code(), retryAt, failure instanceof QuotaExceededException,
        nowMillis(), scheduler.random());
  }

  /**
   * Returns the credential material the server counts a window against: the credential sent, and
   * for a user token the organization (never kept: the limiters hash it).
   */
  private String credentialOf(Attempt attempt, CallPlan plan) {
    String value = attempt.authValue;
    String credential = value == null ? ""
        : "Authorization".equals(attempt.authName) && plan.organizationId != null
            ? value + "\n" + plan.organizationId : value;
    lastCredential = limiters.key(credential);
    return credential;
  }

  /**
   * Returns what the client's rate limiter knows of the window its credential draws on: the
   * credential of its last call, or before any call, the one its supplier gives now.
   */
  public RateLimitStatus rateLimitStatus() {
    String key = lastCredential;
    if (key == null) {
      try {
        Attempt probe = newAttempt(CallPlan.create(settings, RequestOptions.none(), scheduler.nanoTime(),
            clientCallTimeoutMillis), 0, null);
        key = limiters.key(credentialOf(probe, probe.plan));
      } catch (Throwable supplierFailed) {
        key = null;
      }
    }
    return limiters.status(key, nowMillis());
  }

  private long nowMillis() {
    return scheduler.now().toEpochMilli();
  }

  /**
   * Logs the retry and waits before the next attempt of a blocking call: woken at once by close()
   * (then fails with the closed error) or an interrupt (then fails as interrupted, the flag set
   * again).
   */
  private void pause(Call<?> call, Attempt attempt, CallPlan plan, RetryPolicy.Decision decision) {
    RetryWait wait = new RetryWait(state, null);
    state.resources().startWaiting(wait);
    logRetry(call, attempt, plan, decision); // once close() can end the wait
    try {
      if (!wait.isOver()) {
        scheduler.sleep(decision.delay, wait.wake);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(call, true, e);
    } finally {
      wait.finish();
      state.resources().stopWaiting(wait);
    }
    if (Thread.currentThread().isInterrupted()) {
      throw interrupted(call, true, null);
    }
    if (state.isClosed()) {
      throw state.closedError(true);
    }
  }

  /**
   * Starts the call and returns a future of its response. Every failure, an invalid argument
   * included, completes the future exceptionally; nothing is thrown. Completing the future
   * exceptionally from outside ({@code cancel}, {@code orTimeout}, {@code completeExceptionally})
   * cancels the HTTP call and any retry still to come. The future completes on a thread of the
   * dispatcher's executor; when {@code close()} ends a wait between attempts, on the thread that
   * calls it; when the call is refused before its first attempt, on the calling thread.
   *
   * @param calls makes the Retrofit call for an attempt
   * @param result what the future gives: the raw response or its body
   */
  public <T, R> CompletableFuture<R> executeAsync(Function<Attempt, Call<T>> calls,
      RequestOptions options, Result<T, R> result) {
    CompletableFuture<R> future = new CompletableFuture<>();
    AsyncCall<T, R> running;
    try {
      state.ensureOpen();
      running = new AsyncCall<>(calls,
          CallPlan.create(settings, options, scheduler.nanoTime(), clientCallTimeoutMillis), future, result);
    } catch (RuntimeException invalid) {
      future.completeExceptionally(invalid);
      return future;
    }
    // Registered on the future itself: it is dropped once the future completes, so a completed
    // future holds no reference to the call, its request or its body.
    future.whenComplete((value, failure) -> {
      if (failure != null) {
        running.cancel();
      }
    });
    running.start(0);
    return future;
  }

  /**
   * One async call: its attempts run one after another, each started by the end of the last.
   * Whatever the code it runs throws (the credential supplier, the application's OkHttp
   * listeners, a logger), {@code Error} included, fails the future: nothing escapes to OkHttp's
   * threads and leaves the future pending.
   */
  private final class AsyncCall<T, R> implements Callback<T>, Attempt.TimeoutListener {
    private final Function<Attempt, Call<T>> factory;
    private final CallPlan plan;
    private final CompletableFuture<R> future;
    private final Result<T, R> result;
    private volatile @Nullable Call<T> current;
    private volatile @Nullable Attempt attempt;
    private volatile @Nullable RetryWait waiting;
    private volatile boolean resent; // the one resend at once after a stale pooled connection
    /** The attempt's hold on the rate limiters, released with its answer. */
    private volatile @Nullable Permit permit;
    /** What wakes this call from a wait for the rate limiters, while it waits. */
    private volatile @Nullable Runnable limiterWake;
    /** The attempt number whose wait for the limiters was told (listener, log), or -1. */
    private volatile int toldWait = -1;

    AsyncCall(Function<Attempt, Call<T>> factory, CallPlan plan, CompletableFuture<R> future,
        Result<T, R> result) {
      this.factory = factory;
      this.plan = plan;
      this.future = future;
      this.result = result;
    }

    /**
     * Returns the attempt in flight. start() sets it before the call is enqueued, so OkHttp's
     * callbacks, and the retry that follows them, always find it.
     */
    private Attempt startedAttempt() {
      return Objects.requireNonNull(attempt, "attempt is set before the call is enqueued");
    }

    void start(int retries) {
      if (future.isDone()) {
        return;
      }
      Call<T> call;
      try {
        state.ensureOpen();
        attempt = newAttempt(plan, retries, null);
        call = factory.apply(attempt);
      } catch (Throwable e) {
        future.completeExceptionally(e);
        return;
      }
      current = call;
      Attempt started = startedAttempt();
      started.timeoutListener = this;
      if (limiters.active()) {
        try {
          if (!admitted(call, started, retries)) {
            current = null;
            return; // waiting: the wake starts this attempt again
          }
        } catch (Throwable e) {
          current = null;
          future.completeExceptionally(e);
          return;
        }
      }
      try {
        if (!state.resources().started(call, started)) {
          state.resources().finished(call);
          releasePermit();
          future.completeExceptionally(state.closedError(false));
          return;
        }
        if (future.isDone()) {
          call.cancel(); // cancelled while this attempt was being made
        }
        call.enqueue(this);
      } catch (Throwable e) {
        state.resources().finished(call);
        releasePermit();
        future.completeExceptionally(e);
      }
    }

    /**
     * Asks the rate limiters for a permit for this attempt. Returns true with the permit held;
     * false when the attempt must wait: it is then noted as waiting (close() ends the wait) and
     * starts again, on the dispatcher's executor, when a permit is released, a window learns, or
     * the wait's time is up.
     *
     * @throws QuotaExceededException if the daily quota is spent
     * @throws RateLimitWaitException if the window has room only after the call's deadline
     */
    private boolean admitted(Call<T> call, Attempt attempt, int retries) {
      CallPlan callPlan = attempt.plan;
      String credential = credentialOf(attempt, callPlan);
      boolean background = callPlan.options.background();
      RateLimiters.Answer answer = limiters.ask(credential, background, nowMillis(), scheduler.random());
      if (answer.permit != null) {
        permit = answer.permit;
        return true;
      }
      Duration delay = waitFor(call, callPlan, attempt, answer);
      if (toldWait != retries) {
        toldWait = retries;
        tellWait(call, delay, answer.reason, background);
      }
      RetryWait wait = new RetryWait(state, () -> future.completeExceptionally(state.closedError(false)));
      Runnable[] self = new Runnable[1];
      Runnable wake = () -> {
        if (wait.finish()) {
          endLimiterWait(wait, self[0]);
          startOnExecutor(retries);
        }
      };
      self[0] = wake;
      waiting = wait;
      limiterWake = wake;
      limiters.addWaiter(wake);
      state.resources().startWaiting(wait);
      if (wait.isOver()) {
        endLimiterWait(wait, wake);
        return false; // closed meanwhile: the wait's end failed the future
      }
      // Asked again once noted as waiting, so that a permit released in between is not missed.
      answer = limiters.ask(credential, background, nowMillis(), scheduler.random());
      if (answer.permit != null) {
        if (wait.finish()) {
          endLimiterWait(wait, wake);
          permit = answer.permit;
          return true;
        }
        answer.permit.unanswered(); // woken or ended meanwhile: that path goes on
        return false;
      }
      try {
        wait.timer = scheduler.schedule(delay, wake);
      } catch (RejectedExecutionException closed) {
        endLimiterWait(wait, wake);
        wait.end();
        return false;
      }
      if (wait.isOver()) {
        endLimiterWait(wait, wake); // ended while it was being scheduled: the task must not stay queued
      }
      return false;
    }

    /**
     * Forgets one wait for the limiters: its note in the resources, its waker, its timer. The
     * call's fields are cleared only if they still name this wait (a later one may have begun).
     */
    private void endLimiterWait(RetryWait wait, Runnable wake) {
      state.resources().stopWaiting(wait);
      limiters.removeWaiter(wake);
      Future<?> timer = wait.timer;
      if (timer != null) {
        timer.cancel(false);
      }
      if (limiterWake == wake) {
        limiterWake = null;
      }
      if (waiting == wait) {
        waiting = null;
      }
    }

    /** Frees the attempt's permit without an answer (it was not sent, failed, or was cancelled). */
    private void releasePermit() {
      Permit held = permit;
      if (held != null) {
        permit = null;
        held.unanswered();
      }
    }

    void cancel() {
      Call<T> call = current;
      if (call != null) {
        call.cancel();
      }
      RetryWait wait = waiting;
      if (wait != null) {
        wait.drop();
        state.resources().stopWaiting(wait);
      }
      Runnable wake = limiterWake;
      if (wake != null) {
        limiters.removeWaiter(wake);
      }
    }

    /**
     * Fails the future when the deadline watch ended an attempt that OkHttp had not started yet.
     * A call queued in OkHttp's dispatcher (all its slots busy) reports its cancellation only
     * once it gets a slot, so its future is failed here, at the deadline; not on the watch's
     * thread, which must not run the caller's callbacks, but on the dispatcher's executor (whose
     * spare threads are free while its slots are busy). A call that is running fails on its
     * dispatcher thread as soon as it is cancelled.
     */
    @Override
    public void timedOut(Attempt timedOut) {
      Call<T> call = current;
      if (call == null || timedOut.running || future.isDone()) {
        return;
      }
      RuntimeException failure = errors.io(call.request(), Attempt.timeout(null), timedOut.retryCount);
      try {
        state.resources().executor().execute(() -> future.completeExceptionally(failure));
      } catch (RejectedExecutionException closed) {
        // Closed: close() cancelled the call and fails it.
      }
    }

    @Override
    public void onResponse(Call<T> call, Response<T> response) {
      state.resources().finished(call);
      current = null;
      try {
        answered(call, response);
      } catch (Throwable e) {
        future.completeExceptionally(e);
      }
    }

    private void answered(Call<T> call, Response<T> response) {
      Permit held = permit;
      permit = null;
      if (response.isSuccessful()) {
        CallRunner.this.answered(held, response, null);
        R value;
        try {
          value = result.of(call, response);
        } catch (MutagentInvalidDataException e) {
          future.completeExceptionally(e);
          return;
        }
        future.complete(value);
        return;
      }
      int retries = startedAttempt().retryCount;
      RuntimeException failure = null;
      try {
        failure = errors.fromResponse(response, retries);
      } finally {
        CallRunner.this.answered(held, response, failure);
      }
      if (failure instanceof QuotaExceededException) {
        future.completeExceptionally(failure); // never retried: the quota renews in hours
        return;
      }
      RetryPolicy.Decision decision = RetryPolicy.afterStatus(call.request().method(), response.code(),
          ErrorMapper.headers(response.headers()), retries, plan.maxRetries, receivedAt(response),
          scheduler.random());
      retryOrFail(call, decision, failure);
    }

    @Override
    public void onFailure(Call<T> call, Throwable failure) {
      state.resources().finished(call);
      current = null;
      if (!(failure instanceof ResendRefused)) {
        releasePermit();
      }
      if (future.isDone()) {
        return; // cancelled by the caller: the future already says so
      }
      try {
        failed(call, failure);
      } catch (Throwable e) {
        future.completeExceptionally(e);
      }
    }

    private void failed(Call<T> call, Throwable failure) throws IOException {
      if (failure instanceof ResendRefused) {
        answered(call, ((ResendRefused) failure).asResponse());
      } else if (failure instanceof IOException) {
        if (state.isClosed()) {
          future.completeExceptionally(state.closedError(true));
          return;
        }
        Attempt failed = startedAttempt();
        IOException e = failed.failure((IOException) failure);
        if (JsonConverterFactory.corruptEncoding(e)) {
          future.completeExceptionally(invalid(call, JsonConverterFactory.corrupt(e)));
          return;
        }
        int retries = failed.retryCount;
        if (!resent && RetryPolicy.staleConnection(e, failed)) {
          resent = true;
          resendAtOnce(call);
          start(retries); // on this dispatcher thread: the same attempt again, not a retry
          return;
        }
        RetryPolicy.Decision decision = RetryPolicy.afterFailure(call.request().method(), e, failed,
            retries, plan.maxRetries, scheduler.random());
        retryOrFail(call, decision, errors.io(call.request(), e, retries));
      } else if (failure instanceof MutagentInvalidDataException) {
        future.completeExceptionally(invalid(call, (MutagentInvalidDataException) failure));
      } else if (failure instanceof RuntimeException) {
        future.completeExceptionally(failure);
      } else {
        future.completeExceptionally(new MutagentException(call.request().method() + " "
            + call.request().url().encodedPath() + " failed unexpectedly: " + failure, failure));
      }
    }

    /**
     * Fails the future, or schedules the next attempt: on the scheduler's timer, which hands it to
     * the dispatcher's executor when the wait is over. close() ends the wait at once.
     */
    private void retryOrFail(Call<T> call, RetryPolicy.Decision decision, RuntimeException failure) {
      if (!decision.retry || !fitsDeadline(plan, decision.delay) || future.isDone()) {
        future.completeExceptionally(failure);
        return;
      }
      Attempt last = startedAttempt();
      int next = last.retryCount + 1;
      RetryWait wait = new RetryWait(state, () -> future.completeExceptionally(state.closedError(true)));
      waiting = wait;
      state.resources().startWaiting(wait);
      if (wait.isOver()) {
        return; // closed meanwhile: the wait's end failed the future
      }
      logRetry(call, last, plan, decision); // once close() can end the wait
      try {
        wait.timer = scheduler.schedule(decision.delay, () -> {
          if (wait.finish()) {
            state.resources().stopWaiting(wait);
            waiting = null;
            startOnExecutor(next);
          }
        });
      } catch (RejectedExecutionException closed) {
        state.resources().stopWaiting(wait);
        wait.end();
        return;
      }
      if (wait.isOver()) {
        wait.drop(); // ended while it was being scheduled: the task must not stay queued
      }
    }

    /** Starts the next attempt on the dispatcher's executor, never on the scheduler's timer thread. */
    private void startOnExecutor(int retries) {
      try {
        state.resources().executor().execute(() -> start(retries));
      } catch (RejectedExecutionException e) {
        future.completeExceptionally(state.isClosed() ? state.closedError(true)
            : new MutagentException("the next attempt could not start: the OkHttpClient's dispatcher "
                + "refused it (" + e.getMessage() + ")", e));
      }
    }
  }

  /**
   * Prepares to send an attempt again at once after a stale pooled connection: drops the pool's
   * other idle connections (likely closed as long) and logs why.
   */
  private void resendAtOnce(Call<?> call) {
    state.resources().dropIdleConnections();
    if (settings.logLevel != LogLevel.OFF && logger.isLoggable(System.Logger.Level.INFO)) {
      logger.log(System.Logger.Level.INFO, "resending " + call.request().method() + " "
          + call.request().url().encodedPath() + " at once on a new connection: the pooled one had been "
          + "closed by the server while idle, before it answered (not counted as a retry)");
    }
  }

  /**
   * Returns the failure of a blocking call whose thread was interrupted: a MutagentIoException
   * whose cause is an InterruptedIOException (with what was in progress as its cause).
   *
   * @param maySent whether the request may have gone out
   */
  private static MutagentIoException interrupted(Call<?> call, boolean maySent, @Nullable Throwable during) {
    InterruptedIOException cause = new InterruptedIOException("interrupted");
    if (during != null) {
      cause.initCause(during);
    }
    return new MutagentIoException(operation(call) + " was interrupted: the call was cancelled"
        + (maySent ? " (a write may already have reached the server)" : "; nothing was sent")
        + ". The thread's interrupt flag is still set", cause);
  }

  /**
   * Makes an attempt, reading the credential for it.
   *
   * @param caller the thread blocked in a blocking call, whose interrupt ends it; null for async
   */
  private Attempt newAttempt(CallPlan plan, int retries, @Nullable Thread caller) {
    long deadline = attemptDeadline(plan);
    if (settings.apiKey != null) {
      String key = credential(settings.apiKey, "apiKey");
      secrets.add(key);
      return new Attempt(plan, retries, state, deadline, caller, "x-api-key", key);
    }
    if (settings.bearerToken != null) {
      String token = credential(settings.bearerToken, "bearerToken");
      secrets.add(token);
      return new Attempt(plan, retries, state, deadline, caller, "Authorization", "Bearer " + token);
    }
    return new Attempt(plan, retries, state, deadline, caller, null, null);
  }

  /**
   * Returns when an attempt starting now must end, on the {@link System#nanoTime()} scale that
   * {@link DeadlineWatch} keeps: what is left of the call's deadline (at least 1 ms), or
   * Long.MAX_VALUE for none. The call's deadline is on the scheduler's clock, which tests replace.
   */
  private long attemptDeadline(CallPlan plan) {
    if (plan.deadline == Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    long remaining = Math.max(TimeUnit.MILLISECONDS.toNanos(1), plan.deadline - scheduler.nanoTime());
    return System.nanoTime() + remaining;
  }

  /**
   * Reads a credential for one attempt from its supplier (never echoing it). A supplier that
   * throws anything, {@code Error} included, or returns null, a blank value or one that cannot go
   * in a header fails the call the same way, before anything is sent.
   *
   * @throws MutagentException naming the supplier, with what it threw as the cause
   */
  private static String credential(Supplier<String> supplier, String name) {
    String value;
    try {
      value = supplier.get();
    } catch (Throwable e) {
      throw new MutagentException("the " + name + "Supplier threw " + e.getClass().getName()
          + "; nothing was sent", e);
    }
    String wrong = value == null ? "null" : value.trim().isEmpty() ? "a blank value" : null;
    if (wrong == null) {
      int i = Check.headerUnsafeAt(value);
      if (i >= 0) {
        wrong = "a value with a character that cannot go in an HTTP header at position " + i;
      }
    }
    if (wrong != null) {
      throw new MutagentException("the " + name + "Supplier returned " + wrong + "; nothing was sent. "
          + "Return the current credential, or build the client without one");
    }
    return value;
  }

  /** Returns whether an attempt after the delay would still start before the call's deadline. */
  private boolean fitsDeadline(CallPlan plan, Duration delay) {
    return plan.deadline == Long.MAX_VALUE || scheduler.nanoTime() + delay.toNanos() < plan.deadline;
  }

  private void logRetry(Call<?> call, Attempt attempt, CallPlan plan, RetryPolicy.Decision decision) {
    if (settings.logLevel != LogLevel.OFF && logger.isLoggable(System.Logger.Level.INFO)) {
      logger.log(System.Logger.Level.INFO, "retrying " + call.request().method() + " "
          + call.request().url().encodedPath() + " in " + decision.delay.toMillis() + " ms (attempt "
          + (attempt.number() + 1) + " of " + (plan.maxRetries + 1) + "): " + decision.reason);
    }
  }

  private static Instant receivedAt(Response<?> response) {
    return Instant.ofEpochMilli(response.raw().receivedResponseAtMillis());
  }

  /**
   * Returns the response as the SDK's type.
   *
   * @throws MutagentInvalidDataException if the operation promises a body and none came (a 204)
   */
  private static <T> RawResponse<T> raw(Call<T> call, Response<T> response) {
    return RawResponse.of(response.code(), ErrorMapper.headers(response.headers()), receivedAt(response),
        checkedBody(call, response));
  }

  private static <T> T checkedBody(Call<T> call, Response<T> response) {
    T body = response.body();
    if (body == null) {
      Type promised = promisedBody(call);
      if (promised != null && promised != Void.class) {
        throw new MutagentInvalidDataException(operation(call) + ": the response had no body (HTTP "
            + response.code() + "), but the API spec promises a " + simpleName(promised));
      }
    }
    return body;
  }

  /** Names the operation, its method and path in the SDK's messages: {@code getPrompt (GET /api/prompt/prm_1)}. */
  static String operation(Call<?> call) {
    Invocation invocation = call.request().tag(Invocation.class);
    String name = invocation == null ? "" : invocation.method().getName() + " ";
    return name + "(" + call.request().method() + " " + call.request().url().encodedPath() + ")";
  }

  /**
   * Names the operation in an invalid-data failure. The message is made safe (the parser may quote
   * a property name the server chose); the parser's own exception is not kept as the cause, since
   * its message may quote server data as it came.
   */
  private MutagentInvalidDataException invalid(Call<?> call, MutagentInvalidDataException e) {
    return new MutagentInvalidDataException(errors.safe(operation(call) + ": " + e.getMessage(), 2000));
  }

  /** Returns the body type the Retrofit method declares ({@code Call<Prompt>} gives Prompt), or null. */
  private static @Nullable Type promisedBody(Call<?> call) {
    Invocation invocation = call.request().tag(Invocation.class);
    if (invocation == null) {
      return null;
    }
    Type type = invocation.method().getGenericReturnType();
    return type instanceof ParameterizedType ? ((ParameterizedType) type).getActualTypeArguments()[0] : null;
  }

  private static String simpleName(Type type) {
    return type instanceof Class ? ((Class<?>) type).getSimpleName() : type.getTypeName();
  }
}
