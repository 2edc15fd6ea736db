package io.mutagent.bulk;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A ready progress display: one line, rewritten in place after each chunk ({@code \r}), ended
 * with a line break when the upload finishes. For example:
 * {@code dataset items: 300 of 500 sent (60%), 3 chunks, 0 failed}.
 */
public final class BulkProgressLine {
  private BulkProgressLine() {}

  /**
   * Returns a listener that prints the progress to {@code out}, labelled "bulk upload".
   *
   * @throws IllegalArgumentException if {@code out} is null
   */
  public static BulkProgressListener to(PrintStream out) {
    return to(out, "bulk upload");
  }

  /**
   * Returns a listener that prints the progress to {@code out} under a label.
   *
   * @param label what is uploaded, e.g. "dataset items"
   * @throws IllegalArgumentException if {@code out} or {@code label} is null
   */
  public static BulkProgressListener to(PrintStream out, String label) {
    if (out == null || label == null) {
      throw new IllegalArgumentException("BulkProgressLine.to needs a PrintStream and a label, e.g. "
          + "BulkProgressLine.to(System.out, \"dataset items\")");
    }
    return progress -> {
      out.print("\r" + format(label, progress));
      if (progress.finished()) {
        out.println();
      }
      out.flush();
    };
  }

  /**
   * Returns the line for one progress, without {@code \r} or line break, e.g.
   * {@code dataset items: 300 of 500 sent (60%), 3 chunks, 0 failed}.
   */
  public static String format(String label, BulkProgress progress) {
    StringBuilder line = new StringBuilder(label).append(": ").append(progress.itemsSent());
    if (progress.total().isPresent()) {
      long total = progress.total().getAsLong();
      long handled = progress.itemsSent() + progress.itemsFailed();
      line.append(" of ").append(total).append(" sent (")
          .append(String.format(Locale.ROOT, "%d%%", total == 0 ? 100 : handled * 100 / total)).append(')');
    } else {
      line.append(" sent");
    }
    line.append(", ").append(progress.chunksDone()).append(progress.chunksDone() == 1 ? " chunk" : " chunks")
        .append(", ").append(progress.chunksFailed()).append(" failed");
    if (progress.itemsFailed() > 0) {
      line.append(" (").append(progress.itemsFailed()).append(" items)");
    }
    if (progress.finished()) {
      line.append(", done");
    }
    return line.toString();
  }
}
