package io.mutagent.codegen;

/**
 * Turns text from the spec (a summary or description, CommonMark as OpenAPI defines it) into text
 * that can stand anywhere in a Javadoc comment: it compiles, doclint accepts it, and the rendered
 * page shows the text as written. The templates apply it as the Mustache lambda
 * {@code {{#lambda.javadoc}}...{{/lambda.javadoc}}} (see {@link MutagentCodegen}).
 */
public final class Javadoc {
  private Javadoc() {}

  /**
   * Escapes {@code text} for Javadoc: {@code & < >} become HTML entities; {@code @} becomes
   * {@code &#64;} (so it starts no block or inline tag); a backslash becomes {@code &#92;} (so no
   * {@code \}{@code u} escape is formed, which javac reads before comments); the {@code /} of
   * {@code * /} (without the space) becomes {@code &#47;} (so the comment does not end); line
   * breaks, tabs and other control characters become one space; a CommonMark code span
   * ({@code `name`}) becomes {@code <code>name</code>}. Null gives the empty string.
   *
   * @param text the text as the spec has it, or null
   * @return the text, safe in a Javadoc comment, on one line
   */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    boolean inCode = false;
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        space = out.length() > 0;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      switch (c) {
        case '`':
          if (inCode) {
            out.append("</code>");
            inCode = false;
          } else if (text.indexOf('`', i + 1) > i + 1) {
            out.append("<code>");
            inCode = true;
          } else {
            out.append("&#96;");
          }
          break;
        case '&':
          out.append("&amp;");
          break;
        case '<':
          out.append("&lt;");
          break;
        case '>':
          out.append("&gt;");
          break;
        case '@':
          out.append("&#64;");
          break;
        case '\\':
          out.append("&#92;");
          break;
        case '/':
          out.append(i > 0 && text.charAt(i - 1) == '*' ? "&#47;" : "/");
          break;
        default:
          out.append(c);
      }
    }
    return out.toString();
  }
}
