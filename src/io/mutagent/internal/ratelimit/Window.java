package io.mutagent.internal.ratelimit;

import io.mutagent.ratelimit.RateLimits;
import java.time.Instant;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * One rate-limit window: what the server counts against one credential, as this client family
 * has learned it from the {@code X-RateLimit-*} headers, plus the calls it has in flight and the
 * requests it sent today. Decides, for one attempt at a time, whether it may go now or must wait
 * until when. Guarded by its {@link RateLimiters}' lock. Internal.
 *
 * <p>The rule, in order: a spent daily quota refuses the call (nothing sent); a rate_limited 429
 * makes every call wait for its {@code Retry-After}; before any response the calls go (paced by
 * {@code requestsPerMinute} when set); then a call goes only while the window's remaining count,
 * less the calls in flight (and less the reserve, for background work), leaves room, and
 * otherwise waits for the reset plus a small margin (the reset is whole seconds).
 *
 * <p>Other processes on the same key are seen only through the headers: a response whose
 * remaining count fell further than this client's own requests explain shows how many requests
 * others made. When others are seen, the client keeps to a share of each window, estimated from
 * the last window's own and others' counts, and spreads that share over the window starting at a
 * random phase, so that clients that waited for the same reset do not all send in its first
 * instant.
 */
final class Window {
  /** Sending this long after the reset allows for second-granular resets and clock skew. */
  static final long MARGIN_MILLIS = 50;
  /** The share of the window a client keeps to when others use the same key. */
  static final double SHARED_USE = 0.75;
  /**
   * Others' count seen this early into a window (as a share of it) or earlier is scaled up as if
   * seen at this point: an estimate from the first instants would be wild.
   */
  static final double EARLIEST_ESTIMATE = 0.3;
  private static final long DAY_MILLIS = 86_400_000L;
  /** A header that was missing or not a whole number. */
  static final long UNKNOWN = Long.MIN_VALUE;

  private final RateLimits settings;

  long limit = -1;
  long remaining = -1;
  /** When the window resets, epoch ms; 0 while unknown. */
  long resetAt;
  /** The window's length in ms: estimated from the first response, then learned from successive resets. */
  long windowMillis;
  private boolean windowLearned;
  /** A rate_limited 429's Retry-After: every call waits until then (epoch ms). */
  private long blockedUntil;
  /** The daily quota is spent until then (epoch ms), or 0. */
  long quotaUntil;
  private boolean quotaFromServer;
  int inFlight;

  /** Others' requests per window (the most seen, decaying by a fifth a window); 0 when alone. */
  private double others;
  private int ownLastWindow = 1;
  private int ownThisWindow;
  private double othersThisWindow;
  private int sentThisWindow;
  private int share = Integer.MAX_VALUE;
  private long phase;

  /** Send times before the first response, for requestsPerMinute (epoch ms). */
  private final ArrayDeque<Long> earlySends = new ArrayDeque<>();
  private long day = Long.MIN_VALUE;
  long usedToday;

  Window(RateLimits settings) {
    this.settings = settings;
  }

  /** A decision to wait: until when (epoch ms, Long.MAX_VALUE for "until woken") and why. */
  static final class Wait {
    final long until;
    final String reason;

    Wait(long until, String reason) {
      this.until = until;
      this.reason = reason;
    }
  }

  /** The daily quota is spent: the caller refuses the call before sending. */
  static final class QuotaSpent extends Exception {
    private static final long serialVersionUID = 1L;
    final long renewsAt;

    QuotaSpent(String reason, long renewsAt) {
      super(reason, null, false, false);
      this.renewsAt = renewsAt;
    }
  }

  /**
   * Decides for one attempt: null when it may go now (then it is counted as sent and in flight),
   * else the wait.
   *
   * @param random a number in [0, 1) for the phase of a shared window
   * @throws QuotaSpent if the daily quota is spent (for background work: down to the reserve)
   */
  @Nullable Wait decide(long now, boolean background, double random) throws QuotaSpent {
    newDay(now);
    if (quotaUntil > now) {
      throw new QuotaSpent(quotaFromServer
          ? "the server answered daily_quota_exceeded earlier"
          : "this client's daily budget of " + settings.dailyBudget() + " requests is spent", quotaUntil);
    }
    int budget = settings.dailyBudget();
    if (budget > 0) {
      long allowed = background ? budget - (long) Math.ceil(budget * settings.backgroundReserve()) : budget;
      if (usedToday >= allowed) {
        long midnight = Math.floorDiv(now, DAY_MILLIS) * DAY_MILLIS + DAY_MILLIS;
        if (!background) {
          quotaUntil = midnight;
          quotaFromServer = false;
          throw new QuotaSpent("this client's daily budget of " + budget + " requests is spent", midnight);
        }
        throw new QuotaSpent("background work may use " + allowed + " of this client's daily budget of "
            + budget + " requests, and has; the rest is kept for the application's own calls", midnight);
      }
    }
    if (blockedUntil > now) {
      return new Wait(blockedUntil, "the server answered 429 rate_limited; waiting for its Retry-After");
    }
    rollIfDue(now, random);
    if (limit < 0) {
      return early(now, background);
    }
    long reserve = background ? (long) Math.ceil(limit * settings.backgroundReserve()) : 0;
    if (remaining - inFlight - reserve < 1) {
      long until = resetAt > 0 ? resetAt + MARGIN_MILLIS : now + 1000;
      return new Wait(until, Math.max(0, remaining) + " of " + limit + " requests left in the window, "
          + inFlight + " in flight" + (reserve > 0 ? ", " + reserve + " kept for the application's own calls" : "")
          + "; the window resets at " + Instant.ofEpochMilli(resetAt));
    }
    if (others > 0 && resetAt > 0) {
      if (sentThisWindow >= share) {
        return new Wait(resetAt + MARGIN_MILLIS, "other clients use the same key: this client's share of the "
            + "window (" + share + " of " + limit + ") is used until it resets at " + Instant.ofEpochMilli(resetAt));
      }
      long slot = resetAt - windowMillis + MARGIN_MILLIS + phase + sentThisWindow * windowMillis / share;
      if (now < slot) {
        return new Wait(slot, "other clients use the same key: spreading this client's share of the window ("
            + share + " of " + limit + ") over it");
      }
    }
    sent();
    return null;
  }

  /** Before the first response: go at once, or keep to requestsPerMinute when it is set. */
  private @Nullable Wait early(long now, boolean background) {
    int perMinute = settings.requestsPerMinute();
    if (perMinute > 0) {
      while (!earlySends.isEmpty() && earlySends.peekFirst() <= now - 60_000) {
        earlySends.pollFirst();
      }
      long allowed = background ? perMinute - (long) Math.ceil(perMinute * settings.backgroundReserve()) : perMinute;
      if (earlySends.size() >= Math.max(1, allowed)) {
        Long first = earlySends.peekFirst();
        return new Wait((first == null ? now : first) + 60_000, "requestsPerMinute(" + perMinute
            + ") is reached and no response has told the window yet");
      }
      earlySends.addLast(now);
    }
    sent();
    return null;
  }

  private void sent() {
    inFlight++;
    sentThisWindow++;
    usedToday++;
  }

  /** Starts the next window once the known reset has passed (no response said so yet). */
  private void rollIfDue(long now, double random) {
    if (resetAt > 0 && windowMillis > 0 && now >= resetAt + MARGIN_MILLIS) {
      long windows = (now - resetAt) / windowMillis + 1;
      startWindow(resetAt + windows * windowMillis, random, 0);
    }
  }

  /**
   * Starts a window.
   *
   * @param carried requests already sent that the server counts in it
   */
  private void startWindow(long newReset, double random, int carried) {
    double seen = othersThisWindow;
    others = Math.max(seen, others * 0.8);
    if (others < 0.5) {
      others = 0;
    }
    ownLastWindow = Math.max(1, ownThisWindow);
    ownThisWindow = 0;
    othersThisWindow = 0;
    sentThisWindow = carried;
    remaining = limit;
    resetAt = newReset;
    if (others > 0) {
      share = share(ownLastWindow);
      phase = (long) (random * windowMillis / share);
    } else {
      share = Integer.MAX_VALUE;
      phase = 0;
    }
  }

  /**
   * Learns from an answer (any status) to an attempt this window let go.
   *
   * @param limitHeader X-RateLimit-Limit, or {@link #UNKNOWN}
   * @param remainingHeader X-RateLimit-Remaining, or {@link #UNKNOWN}
   * @param resetSeconds X-RateLimit-Reset, or {@link #UNKNOWN}
   * @param retryAt when a 429 asked to be retried, epoch ms, or 0
   * @param dailyQuota whether the answer was 429 daily_quota_exceeded (or a wait past the retry cap)
   */
  void answered(long now, long limitHeader, long remainingHeader, long resetSeconds,
      int status, long retryAt, boolean dailyQuota, double random) {
    inFlight = Math.max(0, inFlight - 1);
    if (status == 429) {
      if (dailyQuota) {
        quotaUntil = retryAt > now ? retryAt : Math.floorDiv(now, DAY_MILLIS) * DAY_MILLIS + DAY_MILLIS;
        quotaFromServer = true;
      } else if (retryAt > blockedUntil) {
        blockedUntil = retryAt;
      }
    }
    if (limitHeader == UNKNOWN || remainingHeader == UNKNOWN || resetSeconds == UNKNOWN || limitHeader <= 0) {
      return;
    }
    limit = limitHeader;
    long reset = resetSeconds * 1000;
    if (resetAt == 0 || reset > resetAt) {
      long previous = resetAt;
      if (previous == 0) {
        // The first sight: the window is at most this long (rounded up to whole seconds).
        windowMillis = Math.max(1000, (reset - now + 999) / 1000 * 1000);
      } else if (!windowLearned || reset - previous < windowMillis) {
        windowMillis = reset - previous;
        windowLearned = true;
      }
      // Learned from an answer: its request, and any sent before it still in flight, count in
      // this window (at the first sight, every request sent so far does).
      startWindow(reset, random, previous == 0 ? sentThisWindow : 1 + inFlight);
      remaining = remainingHeader;
    } else if (reset == resetAt) {
      remaining = Math.min(remaining, remainingHeader); // answers race: the lowest count is the latest
    } else {
      return; // an answer from a window that has passed
    }
    double othersSeen;
    if (status != 429) {
      ownThisWindow++;
      long counted = (limit - remainingHeader) - ownThisWindow - inFlight;
      // Seen part way into the window: others spread over it will use more by its end.
      long elapsed = now - (resetAt - windowMillis);
      double soFar = Math.max(EARLIEST_ESTIMATE * windowMillis, Math.min(windowMillis, elapsed));
      othersSeen = counted <= 0 ? 0 : Math.min(limit, counted * windowMillis / soFar);
    } else {
      // Throttled while this window looked open: whatever this client did not use, others did.
      othersSeen = limit - ownThisWindow - inFlight;
    }
    if (othersSeen > othersThisWindow) {
      othersThisWindow = othersSeen;
    }
    if (othersSeen > others) {
      others = othersSeen;
      share = share(Math.max(1, Math.max(ownThisWindow, ownLastWindow)));
    }
  }

  /** Returns this client's share of a window shared with others: most of it, split by who used it. */
  private int share(int own) {
    double clients = 1 + others / own;
    return (int) Math.max(1, Math.floor(SHARED_USE * limit / clients));
  }

  /** Forgets an attempt this window let go that got no answer (failed, cancelled, refused). */
  void unanswered() {
    inFlight = Math.max(0, inFlight - 1);
  }

  private void newDay(long now) {
    long today = Math.floorDiv(now, DAY_MILLIS);
    if (today != day) {
      day = today;
      usedToday = 0;
    }
    if (quotaUntil != 0 && quotaUntil <= now) {
      quotaUntil = 0;
    }
  }

  /** Returns the remaining count as of now, for the status: the limit once the known reset has passed. */
  long remainingNow(long now) {
    if (limit >= 0 && resetAt > 0 && now >= resetAt) {
      return limit;
    }
    return remaining;
  }
}
