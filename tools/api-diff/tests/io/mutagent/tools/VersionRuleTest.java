package io.mutagent.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The gate's version rule: SemVer, with a 0.x minor bump as the breaking bump (as Cargo reads it). */
class VersionRuleTest {
  @Test
  void onA0xLineABreakingChangeNeedsTheNextMinor() {
    assertNull(ApiDiff.refusal("0.1.0", "0.2.0", true));
    assertNull(ApiDiff.refusal("0.1.3", "0.2.0", true));
    assertNull(ApiDiff.refusal("0.1.0", "0.3.0", true));
    assertNull(ApiDiff.refusal("0.1.0", "1.0.0", true), "1.0.0 raises the major version: allowed too");
    String refusal = ApiDiff.refusal("0.1.0", "0.1.1", true);
    assertTrue(refusal.contains("keeps minor version 0.1"), refusal);
    assertTrue(refusal.contains("publish it as 0.2.0 (make publish VERSION=0.2.0)"), refusal);
  }

  @Test
  void from1_0OnABreakingChangeNeedsTheNextMajor() {
    assertNull(ApiDiff.refusal("1.4.2", "2.0.0", true));
    String refusal = ApiDiff.refusal("1.4.2", "1.5.0", true);
    assertTrue(refusal.contains("keeps major version 1"), refusal);
    assertTrue(refusal.contains("publish it as 2.0.0"), refusal);
  }

  @Test
  void aCompatibleChangeNeedsOnlyANewerVersion() {
    assertNull(ApiDiff.refusal("0.1.0", "0.1.1", false));
    assertNull(ApiDiff.refusal("1.4.2", "1.4.3", false));
    assertEquals("0.1.0 is not newer than 0.1.0, the last published version (openapi/released/0.1.0.yaml)",
        ApiDiff.refusal("0.1.0", "0.1.0", false));
    assertTrue(ApiDiff.refusal("0.2.0", "0.1.9", false).contains("is not newer"));
  }

  @Test
  void theGateDoesNotPassOnTheSpecCheckAlone() {
    assertEquals(0, ApiDiff.gate("0.1.0", "0.2.0", true, null, false));
    assertEquals(3, ApiDiff.gate("0.1.0", "0.2.0", false, "the Java check did not run (...)", false));
    assertEquals(0, ApiDiff.gate("0.1.0", "0.2.0", false, "the Java check did not run (...)", true),
        "report mode only says what publish would do");
    assertEquals(3, ApiDiff.gate("0.1.0", "0.1.1", true, null, false));
  }
}
