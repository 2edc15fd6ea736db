package io.mutagent.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.RequestOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How one call's settings come from the client's and the call's options. */
class CallPlanTest {
  static ClientSettings client(String scope, Duration timeout, boolean socketTimeouts) {
    return new ClientSettings(() -> "mt_k", null, scope.equals("WORKSPACE") ? null : "ws_1",
        scope.equals("USER") ? "org_1" : null, scope, timeout, socketTimeouts, 2, io.mutagent.LogLevel.OFF);
  }

  @Test
  void aLongPerCallTimeoutDoesNotLiftTheTenSecondConnectCap() {
    CallPlan plan = CallPlan.create(client("WORKSPACE", Duration.ofSeconds(60), true),
        RequestOptions.builder().timeout(Duration.ofMinutes(5)).build(), 0, 0);
    assertEquals(10_000, plan.connectMillis);
    assertEquals(300_000, plan.socketMillis);
    assertEquals(Duration.ofMinutes(5).toNanos(), plan.deadline);
  }

  @Test
  void aShortTimeoutBoundsConnectingToo() {
    CallPlan plan = CallPlan.create(client("WORKSPACE", Duration.ofMillis(300), true), RequestOptions.none(), 0, 0);
    assertEquals(300, plan.connectMillis);
    assertEquals(300, plan.socketMillis);
  }

  @Test
  void aUsersClientKeepsItsOwnTimeoutsUnlessTheCallSetsOne() {
    CallPlan plan = CallPlan.create(client("WORKSPACE", null, false), RequestOptions.none(), 0, 300);
    assertEquals(0, plan.socketMillis, "the OkHttpClient's connect/read/write timeouts stay");
    assertEquals(Duration.ofMillis(300).toNanos(), plan.deadline, "its call timeout is the deadline");
    CallPlan none = CallPlan.create(client("WORKSPACE", null, false), RequestOptions.none(), 0, 0);
    assertEquals(Long.MAX_VALUE, none.deadline);
    CallPlan call = CallPlan.create(client("WORKSPACE", null, false),
        RequestOptions.builder().timeout(Duration.ofSeconds(2)).build(), 0, 300);
    assertEquals(2000, call.socketMillis);
  }

  @Test
  void theCallsOptionsWinAndTheKeyIsMadeOncePerCall() {
    CallPlan plan = CallPlan.create(client("USER", Duration.ofSeconds(60), true),
        RequestOptions.builder().workspaceId("ws_2").organizationId("org_2").maxRetries(0).build(), 0, 0);
    assertEquals("ws_2", plan.workspaceId);
    assertEquals("org_2", plan.organizationId);
    assertEquals(0, plan.maxRetries);
    String key = plan.idempotencyKey();
    assertEquals(key, plan.idempotencyKey());
    CallPlan other = CallPlan.create(client("USER", Duration.ofSeconds(60), true), RequestOptions.none(), 0, 0);
    assertNotEquals(key, other.idempotencyKey(), "each call has its own key");
    assertEquals("ws_1", other.workspaceId);
    assertEquals(2, other.maxRetries);
  }

  @Test
  void aCallCannotChooseAWorkspaceItsKeyCannot() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CallPlan.create(
        client("WORKSPACE", Duration.ofSeconds(60), true), RequestOptions.builder().workspaceId("ws_2").build(), 0, 0));
    assertTrue(e.getMessage().startsWith("RequestOptions.workspaceId is set, but the client's keyScope is WORKSPACE"),
        e.getMessage());
    IllegalArgumentException org = assertThrows(IllegalArgumentException.class, () -> CallPlan.create(
        client("ORGANIZATION", Duration.ofSeconds(60), true), RequestOptions.builder().organizationId("o").build(), 0, 0));
    assertTrue(org.getMessage().contains("only a user-scoped key"), org.getMessage());
  }
}
