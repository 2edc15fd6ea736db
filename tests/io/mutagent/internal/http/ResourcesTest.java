package io.mutagent.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Which connection pool a client gets: the SDK's own (one housekeeping thread) or the user's. */
class ResourcesTest {
  @Test
  void theOkHttpOnTheClassPathIsThePinnedLineSoTheSdksHousekeepingIsUsed() {
    // If the pom moves OkHttp to another line, this fails: PoolHousekeeping implements OkHttp's
    // internal runner API and must be checked against the new version before PINNED_OKHTTP_LINE moves.
    assertTrue(Resources.okHttpVersion().startsWith(Resources.PINNED_OKHTTP_LINE), Resources.okHttpVersion());
    Resources resources = Resources.create(null);
    try {
      String name = resources.housekeepingThreadName();
      assertNotNull(name);
      assertTrue(name.startsWith("mutagent-pool-"), name);
    } finally {
      resources.close();
    }
  }

  @Test
  void aUsersClientKeepsItsOwnPoolAndThreads() {
    OkHttpClient mine = new OkHttpClient();
    Resources resources = Resources.create(mine);
    try {
      assertNull(resources.housekeepingThreadName());
      assertNull(resources.threadNamePrefix());
      assertSame(mine.connectionPool(), resources.base().connectionPool());
    } finally {
      resources.close();
    }
    assertEquals(false, mine.dispatcher().executorService().isShutdown(), "the user's client is left open");
  }

  @Test
  void aCallPutInFlightAfterCloseIsCancelledAndStartsNoThread() {
    Resources resources = Resources.create(null);
    resources.close();
    FakeCall late = new FakeCall();
    io.mutagent.internal.http.CallPlan plan = CallPlan.create(CallPlanTest.client("WORKSPACE", null, false),
        io.mutagent.RequestOptions.none(), 0, 0);
    resources.started(late, new Attempt(plan, 0, null, System.nanoTime() + 1_000_000_000L, null, null, null));
    assertTrue(late.isCanceled(), "close() had already swept the calls in flight: this one must not run unbounded");
    assertEquals(0, resources.deadlineWakeUps(), "a closed client's deadline thread does not start");
  }
}
