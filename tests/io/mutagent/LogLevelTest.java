package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reading MUTAGENT_LOG. */
class LogLevelTest {
  @Test
  void readsTheThreeValuesInAnyCase() {
    assertEquals(LogLevel.INFO, LogLevel.parse("info"));
    assertEquals(LogLevel.DEBUG, LogLevel.parse("DEBUG"));
    assertEquals(LogLevel.DEBUG, LogLevel.parse(" Debug\n"));
    assertEquals(LogLevel.OFF, LogLevel.parse("Off"));
  }

  @Test
  void unsetOrEmptyIsOff() {
    assertEquals(LogLevel.OFF, LogLevel.parse(null));
    assertEquals(LogLevel.OFF, LogLevel.parse(""));
    assertEquals(LogLevel.OFF, LogLevel.parse("  "));
  }

  @Test
  void anythingElseIsRefusedWithTheVariableAndTheAcceptedValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogLevel.parse("verbose"));
    assertEquals("MUTAGENT_LOG is 'verbose'; set it to info, debug or off (any case), "
        + "or leave it unset to log nothing", e.getMessage());
  }

  @Test
  void theBadValueIsEchoedOnlyAsAShortEscapedPrefix() {
    String value = "trace\r\nINFO forged line mt_live_S3CRET_key";
    String message = assertThrows(IllegalArgumentException.class, () -> LogLevel.parse(value)).getMessage();
    assertTrue(message.startsWith("MUTAGENT_LOG is 'trace\\r\\nI... [truncated, 42 chars in all]'"), message);
    assertFalse(message.contains("\n") || message.contains("\r"), message);
    assertFalse(message.contains("S3CRET"), message);
  }
}
