package io.mutagent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Dates read leniently where the meaning is clear, written strictly. */
class DateTimesTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2026-01-02T03:04:05Z | 2026-01-02T03:04:05Z",
      "2026-01-02 03:04:05Z | 2026-01-02T03:04:05Z",
      "2026-01-02t03:04:05z | 2026-01-02T03:04:05Z",
      "2026-01-02T03:04:05+0000 | 2026-01-02T03:04:05Z",
      "2026-01-02T03:04:05+00 | 2026-01-02T03:04:05Z",
      "2026-01-02T03:04:05.25+02:00 | 2026-01-02T03:04:05.250+02:00",
      "2026-01-02T03:04:05.123456789-0530 | 2026-01-02T03:04:05.123456789-05:30",
      "2026-01-02T03:04:05.1234Z | 2026-01-02T03:04:05.123400Z",
      "2026-01-02T03:04Z | 2026-01-02T03:04:00Z"})
  void readsWhatIsUnambiguousAndWritesStrictIso(String text, String written) {
    OffsetDateTime parsed = DateTimes.parse(text);
    assertEquals(written, DateTimes.format(parsed));
    assertEquals(parsed, OffsetDateTime.parse(written));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-01-02T03:04:05", "2026-01-02", "2026-13-02T03:04:05Z", "2026-01-02T25:04:05Z",
      "2026-01-02T03:04:05.1234567890Z", "02/01/2026 03:04Z", "2026-01-02T03:04:05+5", "mt_secret_key_123456",
      "2026-01-02T03:04:05Z trailing"})
  void refusesWhatIsNot(String text) {
    DateTimeException e = assertThrows(DateTimeException.class, () -> DateTimes.parse(text));
    assertTrue(!e.getMessage().contains(text), "the message never quotes the value (it may be a secret)");
  }
}
