package io.mutagent.internal.bulk;

/** The UTF-8 length of text, without encoding it. Internal. */
final class Utf8 {
  private Utf8() {}

  /** Returns how many bytes {@code text} takes in UTF-8 (an unpaired surrogate as '?', 1 byte). */
  static int length(CharSequence text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes += 1;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
