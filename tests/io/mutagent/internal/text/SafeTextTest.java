package io.mutagent.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Masking, escaping and cutting of server text, and the order they run in. */
class SafeTextTest {
  static final String KEY = "mt_live_S3CRET_key";
  static final String TOKEN = "eyJhbGciOi.eyJzdWIi.sig";
  static final List<String> SECRETS = List.of(KEY, TOKEN);

  @Test
  void masksEveryCredentialWhereverItAppears() {
    String text = "key " + KEY + ", again " + KEY + KEY + " and Bearer " + TOKEN + ".";
    assertEquals("key [redacted], again [redacted] and Bearer [redacted].", SafeText.of(text, 1000, SECRETS));
  }

  @Test
  void ignoresNullAndBlankSecretsAndANullCollection() {
    assertEquals("a b", SafeText.of("a b", 100, Arrays.asList(null, "", " ")));
    assertEquals("a b", SafeText.of("a b", 100, null));
  }

  @Test
  void overlappingSecretsBecomeOneMaskWithNothingOfEitherLeft() {
    assertEquals("x[redacted]y", SafeText.of("xabcdey", 100, List.of("abcd", "cde")));
    assertEquals("x[redacted]y", SafeText.of("xabcdey", 100, List.of("cde", "abcd")));
  }

  @Test
  void escapesControlCharsSeparatorsAndBidiControls() {
    String text = "a\rb\nc\td\u001b[2Je\u0000f\u007fg\u0085h\u2028i\u2029j\u202ek\u2066l\u2069m";
    assertEquals("a\\rb\\nc\\td\\u001b[2Je\\u0000f\\u007fg\\u0085h\\u2028i\\u2029j\\u202ek\\u2066l\\u2069m",
        SafeText.of(text, 1000, SECRETS));
  }

  @Test
  void keepsOrdinaryTextAsItIs() {
    String text = "Prompt \"résumé\" 日本語 😀 {\"a\":[1,2]} \\n <b>&amp;";
    assertEquals(text, SafeText.of(text, 1000, SECRETS));
  }

  @Test
  void escapesALoneSurrogate() {
    assertEquals("a\\ud800b", SafeText.of("a\ud800b", 100, List.of()));
  }

  @Test
  void cutsAtMaxCharsAndSaysHowLongTheTextWas() {
    String text = "x".repeat(10_000);
    assertEquals("x".repeat(20) + "... [truncated, 10000 chars in all]", SafeText.of(text, 20, List.of()));
    assertEquals("x".repeat(20), SafeText.of("x".repeat(20), 20, List.of()));
  }

  @Test
  void neverSplitsASurrogatePair() {
    String text = "abc😀def";
    assertEquals("abc... [truncated, 8 chars in all]", SafeText.of(text, 4, List.of()));
    assertEquals("abc😀... [truncated, 8 chars in all]", SafeText.of(text, 5, List.of()));
  }

  @Test
  void escapesCountTowardsTheCap() {
    assertEquals("\\r\\n... [truncated, 4 chars in all]", SafeText.of("\r\n\r\n", 5, List.of()));
    assertEquals("a... [truncated, 2 chars in all]", SafeText.of("a\u001b", 6, List.of()));
  }

  @Test
  void aSecretThatStraddlesTheCapDoesNotShowInPart() {
    String text = "0123456789" + KEY + " tail";
    for (int cap = 0; cap < text.length() + 5; cap++) {
      String safe = SafeText.of(text, cap, SECRETS);
      assertFalse(safe.contains("mt_"), cap + ": " + safe);
      assertFalse(safe.contains("S3C"), cap + ": " + safe);
    }
    assertEquals("0123456789... [truncated, 33 chars in all]", SafeText.of(text, 19, SECRETS));
    assertEquals("0123456789[redacted]... [truncated, 33 chars in all]", SafeText.of(text, 20, SECRETS));
  }

  @Test
  void aSecretWithACharThatIsEscapedIsStillMasked() {
    String secret = "tab\there";
    String safe = SafeText.of("before tab\there after", 100, List.of(secret));
    assertEquals("before [redacted] after", safe);
  }

  @Test
  void theStartOfALongerTextAlwaysEndsWithTheMarker() {
    assertEquals("abc... [truncated, 5000 bytes in all]", SafeText.ofStart("abc", 5000, 100, List.of()));
    assertEquals("abc... [truncated]", SafeText.ofStart("abc", -1, 100, List.of()));
  }

  @Test
  void aCredentialCutOffAtTheEndOfAStartIsMasked() {
    for (int k = 1; k < KEY.length(); k++) {
      String start = "body text " + KEY.substring(0, k);
      assertEquals("body text [redacted]... [truncated]", SafeText.ofStart(start, -1, 1000, SECRETS), start);
    }
    // A complete text is not a start: its end is left as it is.
    assertEquals("body text mt_live", SafeText.of("body text mt_live", 1000, SECRETS));
  }

  @Test
  void nullIsShownAsNull() {
    assertEquals("null", SafeText.of(null, 10, SECRETS));
  }

  @Test
  void aNegativeCapIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeText.of("a", -1, SECRETS));
    assertTrue(e.getMessage().contains("maxChars"), e.getMessage());
  }
}
