package io.mutagent.internal.text;

import java.util.BitSet;
import java.util.Collection;

/**
 * The one place that turns text from a server (an error message, a header value, a response body)
 * into text safe for an exception message or a log line. Internal.
 *
 * <p>In this order:
 * <ol>
 *   <li>every configured credential is replaced by {@value #REDACTED}, wherever it appears;</li>
 *   <li>the text is cut to at most {@code maxChars} chars, followed by a marker such as
 *       {@code ... [truncated, 10485760 chars in all]}; a masked credential and a surrogate pair
 *       are never cut in two;</li>
 *   <li>control chars (C0, DEL, C1), U+2028/U+2029, bidi controls and lone surrogates become
 *       visible escapes ({@code \r}, {@code \n}, {@code \t}, <code>&#92;u001b</code>), so the result is
 *       one line that cannot fake another log line or move a terminal's cursor.</li>
 * </ol>
 * Masking runs on the whole text first, so a credential that the cut or an escape would split
 * never shows, not even in part. The cut counts escaped chars as they are written.
 */
public final class SafeText {
  /** What a masked credential or secret value reads as. */
  public static final String REDACTED = "[redacted]";

  private SafeText() {}

  /**
   * Returns the text with credentials masked, cut to {@code maxChars} (plus a marker) and with
   * control chars escaped; {@code "null"} for null.
   *
   * @param serverText the text as it came from the server
   * @param maxChars the most chars to keep, not counting the marker
   * @param secrets the credentials to mask; null, blank ones and a null collection are ignored
   * @throws IllegalArgumentException if maxChars is negative
   */
  public static String of(String serverText, int maxChars, Collection<String> secrets) {
    if (serverText == null) {
      return "null";
    }
    return render(serverText, false, maxChars, secrets,
        "... [truncated, " + serverText.length() + " chars in all]");
  }

  /**
   * Like {@link #of}, for the start of a longer text (such as a body read up to a limit): the
   * result always ends with a truncation marker, and a credential cut off at the end of
   * {@code start} is masked too, so not even its first chars show.
   *
   * @param start the first part of the text
   * @param totalBytes the size of the whole text in bytes, for the marker, or -1 if unknown
   * @param maxChars the most chars to keep, not counting the marker
   * @param secrets the credentials to mask; null, blank ones and a null collection are ignored
   * @throws IllegalArgumentException if maxChars is negative
   */
  public static String ofStart(String start, long totalBytes, int maxChars, Collection<String> secrets) {
    String marker = totalBytes >= 0 ? "... [truncated, " + totalBytes + " bytes in all]" : "... [truncated]";
    return render(start == null ? "" : start, true, maxChars, secrets, marker);
  }

  private static String render(
      String text, boolean continues, int maxChars, Collection<String> secrets, String marker) {
    if (maxChars < 0) {
      throw new IllegalArgumentException("maxChars must not be negative, got " + maxChars);
    }
    BitSet masked = secretChars(text, continues, secrets);
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + marker.length());
    int i = 0;
    while (i < text.length()) {
      if (masked.get(i)) {
        if (out.length() + REDACTED.length() > maxChars) {
          return out.append(marker).toString();
        }
        out.append(REDACTED);
        i = masked.nextClearBit(i);
      } else {
        int codePoint = text.codePointAt(i);
        if (out.length() + escapedLength(codePoint) > maxChars) {
          return out.append(marker).toString();
        }
        appendEscaped(out, codePoint);
        i += Character.charCount(codePoint);
      }
    }
    return continues ? out.append(marker).toString() : out.toString();
  }

  /** The positions of every credential in the text, and of a credential's start at its end. */
  private static BitSet secretChars(String text, boolean continues, Collection<String> secrets) {
    BitSet masked = new BitSet();
    if (secrets == null) {
      return masked;
    }
    int n = text.length();
    for (String secret : secrets) {
      if (secret == null || secret.isBlank()) {
        continue;
      }
      // Overlapping occurrences are all found, and merge into one masked run.
      for (int at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
        masked.set(at, at + secret.length());
      }
      if (continues) {
        for (int k = Math.min(secret.length() - 1, n); k > 0; k--) {
          if (text.regionMatches(n - k, secret, 0, k)) {
            masked.set(n - k, n);
            break;
          }
        }
      }
    }
    return masked;
  }

  private static boolean needsEscape(int c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f)
        || c == 0x2028 || c == 0x2029                  // line and paragraph separators
        || (c >= 0x202a && c <= 0x202e)                // bidi embeddings and overrides
        || (c >= 0x2066 && c <= 0x2069)                // bidi isolates
        || c == 0x200e || c == 0x200f || c == 0x061c   // bidi marks
        || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE); // a lone surrogate
  }

  private static int escapedLength(int c) {
    if (c == '\r' || c == '\n' || c == '\t') {
      return 2;
    }
    return needsEscape(c) ? 6 : Character.charCount(c);
  }

  private static void appendEscaped(StringBuilder out, int c) {
    if (c == '\r') {
      out.append("\\r");
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '\t') {
      out.append("\\t");
    } else if (needsEscape(c)) {
      String hex = Integer.toHexString(c);
      out.append("\\u");
      for (int pad = hex.length(); pad < 4; pad++) {
        out.append('0');
      }
      out.append(hex);
    } else {
      out.appendCodePoint(c);
    }
  }
}
