package io.mutagent.internal;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads and writes the API's date-times without the general-purpose formatter (the hot path of
 * every list parse). Reading is lenient where the meaning is unambiguous: a space or a lower-case
 * {@code t} between date and time, a lower-case {@code z}, seconds left out, 1 to 9 fraction
 * digits, and an offset written {@code +00:00}, {@code +0000} or {@code +00}. An offset is always
 * required: a time without one does not say which instant it is. Writing is strict ISO-8601:
 * {@code 2026-11-02T09:14:00Z}, seconds always, a fraction in groups of three digits. Internal.
 */
public final class DateTimes {
  private DateTimes() {}

  /**
   * Parses a date-time with an offset.
   *
   * @throws DateTimeException if the text is not one, or names an impossible date or time
   */
  public static OffsetDateTime parse(String text) {
    int n = text.length();
    if (n < 17) {
      throw new DateTimeException("too short for a date-time with an offset");
    }
    int year = digits(text, 0, 4);
    expect(text, 4, '-');
    int month = digits(text, 5, 2);
    expect(text, 7, '-');
    int day = digits(text, 8, 2);
    char separator = text.charAt(10);
    if (separator != 'T' && separator != 't' && separator != ' ') {
      throw new DateTimeException("expected T or a space between the date and the time at index 10");
    }
    int hour = digits(text, 11, 2);
    expect(text, 13, ':');
    int minute = digits(text, 14, 2);
    int i = 16;
    int second = 0;
    int nano = 0;
    if (i < n && text.charAt(i) == ':') {
      second = digits(text, i + 1, 2);
      i += 3;
      if (i < n && (text.charAt(i) == '.' || text.charAt(i) == ',')) {
        int start = ++i;
        while (i < n && Character.isDigit(text.charAt(i)) && i - start < 9) {
          nano = nano * 10 + (text.charAt(i) - '0');
          i++;
        }
        if (i == start || (i < n && Character.isDigit(text.charAt(i)))) {
          throw new DateTimeException("a fraction of a second has 1 to 9 digits");
        }
        for (int k = i - start; k < 9; k++) {
          nano *= 10;
        }
      }
    }
    ZoneOffset offset = offset(text, i);
    return OffsetDateTime.of(year, month, day, hour, minute, second, nano, offset);
  }

  private static ZoneOffset offset(String text, int i) {
    int n = text.length();
    if (i >= n) {
      throw new DateTimeException("no offset (Z or +hh:mm): the time does not say which instant it is");
    }
    char sign = text.charAt(i);
    if ((sign == 'Z' || sign == 'z') && i + 1 == n) {
      return ZoneOffset.UTC;
    }
    if (sign != '+' && sign != '-') {
      throw new DateTimeException("expected an offset (Z or +hh:mm) at index " + i);
    }
    int hours = digits(text, i + 1, 2);
    int minutes = 0;
    int rest = n - (i + 3);
    if (rest == 3 && text.charAt(i + 3) == ':') {
      minutes = digits(text, i + 4, 2);
    } else if (rest == 2) {
      minutes = digits(text, i + 3, 2);
    } else if (rest != 0) {
      throw new DateTimeException("unreadable offset at index " + i);
    }
    int total = hours * 3600 + minutes * 60;
    return ZoneOffset.ofTotalSeconds(sign == '-' ? -total : total);
  }

  private static int digits(String text, int from, int count) {
    if (from + count > text.length()) {
      throw new DateTimeException("ends early at index " + from);
    }
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new DateTimeException("expected a digit at index " + i);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static void expect(String text, int index, char wanted) {
    if (text.charAt(index) != wanted) {
      throw new DateTimeException("expected '" + wanted + "' at index " + index);
    }
  }

  /** Writes strict ISO-8601 with an offset: seconds always, a fraction in groups of three digits. */
  public static String format(OffsetDateTime value) {
    StringBuilder out = new StringBuilder(32);
    int year = value.getYear();
    if (year < 0 || year > 9999) {
      throw new DateTimeException("year " + year + " does not fit ISO-8601's four digits");
    }
    pad(out, year, 4).append('-');
    pad(out, value.getMonthValue(), 2).append('-');
    pad(out, value.getDayOfMonth(), 2).append('T');
    pad(out, value.getHour(), 2).append(':');
    pad(out, value.getMinute(), 2).append(':');
    pad(out, value.getSecond(), 2);
    int nanos = value.getNano();
    if (nanos != 0) {
      out.append('.');
      if (nanos % 1_000_000 == 0) {
        pad(out, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        pad(out, nanos / 1_000, 6);
      } else {
        pad(out, nanos, 9);
      }
    }
    return out.append(value.getOffset().getId()).toString();
  }

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }
}
