package io.mutagent.jobs;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link JobListener} that draws a one-line progress display of a job on a {@link PrintStream},
 * redrawn in place ({@code \r}) after every status read and ended with a line break once the job
 * reached a terminal status:
 *
 * <pre>
 * optimization opt_8Nm3Qs6T: iteration 4 of 10, best 0.910, running, 12m 03s
 * </pre>
 *
 * <p>A job without iterations shows its status and the elapsed time only.
 */
public final class ProgressLine implements JobListener {
  private final PrintStream out;
  private int lastLength; // guarded by this

  private ProgressLine(PrintStream out) {
    this.out = out;
  }

  /**
   * Returns a display that draws on {@code out} (e.g. {@code System.out}).
   *
   * @throws IllegalArgumentException if out is null
   */
  public static ProgressLine to(PrintStream out) {
    if (out == null) {
      throw new IllegalArgumentException("out must not be null, e.g. System.out");
    }
    return new ProgressLine(out);
  }

  @Override
  public synchronized void onUpdate(JobSnapshot job) {
    String line = format(job);
    StringBuilder text = new StringBuilder("\r").append(line);
    for (int i = line.length(); i < lastLength; i++) {
      text.append(' '); // clears what is left of a longer previous line
    }
    lastLength = line.length();
    out.print(text);
    if (job.isTerminal()) {
      out.println();
      lastLength = 0;
    }
    out.flush();
  }

  /**
   * Returns the line drawn for a snapshot, without {@code \r}: kind and id, then the iteration of
   * the maximum and the best score where the job has them, the status, and the elapsed time.
   *
   * @param job the snapshot
   * @return the line
   * @throws NullPointerException if job is null
   */
  public static String format(JobSnapshot job) {
    Objects.requireNonNull(job, "job");
    StringBuilder line = new StringBuilder(job.kind()).append(' ').append(job.jobId()).append(": ");
    if (job.iteration().isPresent()) {
      line.append("iteration ").append(job.iteration().getAsInt());
      if (job.maxIterations().isPresent()) {
        line.append(" of ").append(job.maxIterations().getAsInt());
      }
      line.append(", ");
    }
    if (job.bestScore().isPresent()) {
      line.append("best ").append(String.format(Locale.ROOT, "%.3f", job.bestScore().getAsDouble())).append(", ");
    }
    line.append(job.status()).append(", ").append(elapsed(job.elapsed()));
    return line.toString();
  }

  private static String elapsed(Duration elapsed) {
    long seconds = elapsed.getSeconds();
    long hours = seconds / 3600;
    return hours > 0 ? String.format(Locale.ROOT, "%dh %02dm %02ds", hours, (seconds / 60) % 60, seconds % 60)
        : String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
  }
}
