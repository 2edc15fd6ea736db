package io.mutagent.internal.ratelimit;

import io.mutagent.errors.QuotaExceededException;
import io.mutagent.ratelimit.RateLimitStatus;
import io.mutagent.ratelimit.RateLimits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The rate limiters of one client family: a client made by {@code build()} owns them, and its
 * copies and views use them. One {@link Window} per credential (an API key; a user token with its
 * organization), found by a hash of it: the credential itself is never kept. A rotated key starts
 * its own window. Also the family's {@code maxConcurrency} slots. Calls ask for a {@link Permit}
 * before each attempt; the answer is a permit or how long to wait. Every change that may let a
 * waiting call go (an answer, a slot freed) wakes the waiting calls, which ask again. Internal.
 */
public final class RateLimiters {
  /** Windows kept per family; the least recently used idle one is forgotten beyond this. */
  static final int MAX_WINDOWS = 64;

  private final RateLimits settings;
  private final int maxConcurrency;
  private final Object lock = new Object();
  private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true);
  private int running;
  private final Set<Runnable> waiters = ConcurrentHashMap.newKeySet();
  /** The last credential material hashed, and its hash: most clients send one credential. */
  private volatile String @Nullable [] lastKey;

  /**
   * Creates the family's limiters.
   *
   * @param maxConcurrency the most attempts in flight at once, or 0 for no bound
   */
  public RateLimiters(RateLimits settings, int maxConcurrency) {
    this.settings = settings;
    this.maxConcurrency = maxConcurrency;
  }

  /** Returns whether asking can ever make a call wait (otherwise the runner skips it). */
  public boolean active() {
    return settings.enabled() || maxConcurrency > 0;
  }

  /** Returns the settings. */
  public RateLimits settings() {
    return settings;
  }

  /** What asking gives: a permit, or a wait. */
  public static final class Answer {
    /** The permit, when the attempt may go now. */
    public final @Nullable Permit permit;
    /** Until when to wait (epoch ms; Long.MAX_VALUE for "until woken"), when it may not. */
    public final long until;
    /** Why it waits. */
    public final String reason;

    Answer(@Nullable Permit permit, long until, String reason) {
      this.permit = permit;
      this.until = until;
      this.reason = reason;
    }
  }

  /**
   * Asks to send one attempt now.
   *
   * @param credential the credential material the server counts against (header value, and the
   *     organization for a user token); hashed, never kept
   * @param now the wall clock, epoch ms
   * @param random a number in [0, 1)
   * @throws QuotaExceededException if the daily quota is spent (nothing is sent)
   */
  public Answer ask(String credential, boolean background, long now, double random) {
    String key = settings.enabled() ? key(credential) : "";
    synchronized (lock) {
      if (maxConcurrency > 0 && running >= maxConcurrency) {
        return new Answer(null, Long.MAX_VALUE, "maxConcurrency(" + maxConcurrency + ") calls are in flight");
      }
      Window window = null;
      if (settings.enabled()) {
        window = window(key);
        Window.Wait wait;
        try {
          wait = window.decide(now, background, random);
        } catch (Window.QuotaSpent spent) {
          throw quota(spent);
        }
        if (wait != null) {
          return new Answer(null, wait.until, wait.reason);
        }
      }
      running++;
      return new Answer(new Permit(this, window), 0, "");
    }
  }

  private static QuotaExceededException quota(Window.QuotaSpent spent) {
    Instant renews = Instant.ofEpochMilli(spent.renewsAt);
    return new QuotaExceededException("the call was not sent: the daily quota is spent (" + spent.getMessage()
        + "); it renews at " + renews + ". Calls fail at once until then; raise the plan, or "
        + "RateLimits.dailyBudget if the budget is the client's own", io.mutagent.HttpHeaders.empty(),
        null, null, null, renews, false);
  }

  private Window window(String key) {
    Window window = windows.get(key);
    if (window == null) {
      window = new Window(settings);
      windows.put(key, window);
      if (windows.size() > MAX_WINDOWS) {
        forgetOneIdle(window);
      }
    }
    return window;
  }

  /** Forgets the least recently used window with nothing in flight, other than the one just made. */
  private void forgetOneIdle(Window keep) {
    for (java.util.Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
      Window candidate = it.next();
      if (candidate != keep && candidate.inFlight == 0) {
        it.remove();
        return;
      }
    }
  }

  /** Notes a waiting call: woken (its task run) when a permit is released or a window learns. */
  public void addWaiter(Runnable wake) {
    waiters.add(wake);
  }

  /** Forgets a waiting call. */
  public void removeWaiter(Runnable wake) {
    waiters.remove(wake);
  }

  /** Returns how many calls wait now. */
  public int waiting() {
    return waiters.size();
  }

  private void wakeAll() {
    for (Runnable waiter : waiters) {
      waiter.run();
    }
  }

  /** Ends one attempt's hold: learns from its answer (or its lack of one), frees its slot, wakes waiters. */
  void release(@Nullable Window window, okhttp3.@Nullable Headers headers, int status, long retryAt,
      boolean dailyQuota, long now, double random) {
    synchronized (lock) {
      running = Math.max(0, running - 1);
      if (window != null) {
        if (headers == null) {
          window.unanswered();
        } else {
          window.answered(now, number(headers, "X-RateLimit-Limit"), number(headers, "X-RateLimit-Remaining"),
              number(headers, "X-RateLimit-Reset"), status, retryAt, dailyQuota, random);
        }
      }
    }
    if (!waiters.isEmpty()) {
      wakeAll();
    }
  }

  /**
   * Returns what the window of a credential knows now, or an empty status before its first call.
   *
   * @param key the credential's hash ({@link #key}), or null when none is known
   */
  public RateLimitStatus status(@Nullable String key, long now) {
    synchronized (lock) {
      Window window = key == null || !settings.enabled() ? null : windows.get(key);
      if (window == null) {
        return new RateLimitStatus(settings.enabled(), -1, -1, null, waiters.size(), running, 0,
            settings.dailyBudget(), null);
      }
      return new RateLimitStatus(true, window.limit, window.remainingNow(now),
          window.resetAt == 0 ? null : Instant.ofEpochMilli(window.resetAt), waiters.size(), window.inFlight,
          window.usedToday, settings.dailyBudget(),
          window.quotaUntil > now ? Instant.ofEpochMilli(window.quotaUntil) : null);
    }
  }

  /** Returns the hash that names a credential's window; the material itself is not kept. */
  public String key(String credential) {
    String[] last = lastKey;
    if (last != null && last[0].equals(credential)) {
      return last[1];
    }
    String hash = sha256(credential);
    // Holds the material only as long as the client uses it, as the credential supplier does.
    lastKey = new String[] {credential, hash};
    return hash;
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(32);
      for (int i = 0; i < 16; i++) {
        hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Returns a header's whole number, or {@link Window#UNKNOWN} when it is missing or not one (no boxing: once per call). */
  private static long number(okhttp3.Headers headers, String name) {
    String value = headers.get(name);
    if (value == null) {
      return Window.UNKNOWN;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return Window.UNKNOWN;
    }
  }
}
