package io.mutagent;

import io.mutagent.internal.text.SafeText;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How much the SDK logs about its HTTP traffic, through {@link System.Logger} under the name
 * {@code io.mutagent}. Set it with the {@value #ENV} environment variable ({@code info},
 * {@code debug} or {@code off}). Credentials never appear in a log line: the {@code x-api-key},
 * {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie}
 * headers read {@code [redacted]}, and so does every configured credential wherever a server
 * echoes it. Control chars in server text are escaped, so each log message is one line.
 */
public enum LogLevel {
  /** Nothing is logged; the default. */
  OFF,
  /**
   * One line per HTTP attempt, at {@code INFO}, when it ends: method, URL, status (or the
   * exception that ended it), elapsed milliseconds and the attempt number.
   */
  INFO,
  /**
   * The {@link #INFO} lines, plus request and response headers and bodies at {@code DEBUG}.
   * Bodies are cut at 4 KiB; the values of secret JSON fields (such as a new API key) read
   * {@code [redacted]}; a binary body is shown only as its size and content type.
   */
  DEBUG;

  /** The environment variable the level is read from: {@code MUTAGENT_LOG}. */
  public static final String ENV = "MUTAGENT_LOG";

  private static final int ECHOED_CHARS = 10;

  /**
   * Reads a {@value #ENV} value: {@code off}, {@code info} or {@code debug}, in any case and with
   * surrounding blanks ignored. Null or blank (the variable unset or empty) is {@link #OFF}.
   *
   * @throws IllegalArgumentException for any other value; the message names {@value #ENV} and
   *     the values it accepts, and shows at most the first 10 chars of the value, escaped
   */
  public static LogLevel parse(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return OFF;
    }
    switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "off":
        return OFF;
      case "info":
        return INFO;
      case "debug":
        return DEBUG;
      default:
        throw new IllegalArgumentException(ENV + " is '" + SafeText.of(value, ECHOED_CHARS, List.of())
            + "'; set it to info, debug or off (any case), or leave it unset to log nothing");
    }
  }
}
