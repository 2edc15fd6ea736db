package io.mutagent.internal.jobs;

import io.mutagent.jobs.ScorePoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * One kind of long-running job as the spec declares it ({@code x-mutagent-job}): how to read its id
 * and status from the object the API answers with, which states are running, paused, completed,
 * failed and cancelled, and, for a job that runs in iterations, its iteration, maximum, best score
 * and score points. The generated namespaces make one per kind. Internal.
 *
 * @param <J> the job's type ({@code OptimizationJob})
 * @param <P> the type of its progress answer ({@code OptimizationProgress}), Void for none
 */
public final class JobKind<J, P> {
  final String name;
  final Function<J, String> idOf;
  final Function<J, String> statusOf;
  final Set<String> running;
  final Set<String> paused;
  final Set<String> completed;
  final Set<String> failed;
  final Set<String> cancelled;
  final String resumeHint;
  final @Nullable ToIntFunction<J> iteration;
  final @Nullable ToIntFunction<J> maxIterations;
  final @Nullable Function<J, OptionalDouble> bestScore;
  final @Nullable Function<P, List<ScorePoint>> points;

  private JobKind(String name, Function<J, String> idOf, Function<J, String> statusOf, List<List<String>> states,
      String resumeHint, @Nullable ToIntFunction<J> iteration, @Nullable ToIntFunction<J> maxIterations,
      @Nullable Function<J, OptionalDouble> bestScore, @Nullable Function<P, List<ScorePoint>> points) {
    this.name = name;
    this.idOf = idOf;
    this.statusOf = statusOf;
    this.running = new LinkedHashSet<>(states.get(0));
    this.paused = new LinkedHashSet<>(states.get(1));
    this.completed = new LinkedHashSet<>(states.get(2));
    this.failed = new LinkedHashSet<>(states.get(3));
    this.cancelled = new LinkedHashSet<>(states.get(4));
    this.resumeHint = resumeHint;
    this.iteration = iteration;
    this.maxIterations = maxIterations;
    this.bestScore = bestScore;
    this.points = points;
  }

  /**
   * Returns the states of a kind, in the order {@code of} takes them: running, paused, completed,
   * failed, cancelled.
   */
  public static List<List<String>> states(List<String> running, List<String> paused, List<String> completed,
      List<String> failed, List<String> cancelled) {
    return List.of(running, paused, completed, failed, cancelled);
  }

  /**
   * Returns a kind without progress (an evaluation, an experiment).
   *
   * @param name the kind's name, as messages show it
   * @param idOf reads the job's id
   * @param statusOf reads the job's status as the API sent it
   * @param states see {@link #states}
   * @param resumeHint how a paused job is resumed, or empty
   */
  public static <J> JobKind<J, Void> of(String name, Function<J, String> idOf, Function<J, String> statusOf,
      List<List<String>> states, String resumeHint) {
    return new JobKind<>(name, idOf, statusOf, states, resumeHint, null, null, null, null);
  }

  /**
   * Returns a kind that runs in iterations (an optimization): its progress is read when the
   * iteration moved.
   *
   * @param iteration reads the number of finished iterations
   * @param maxIterations reads the most iterations
   * @param bestScore reads the best score so far
   * @param points reads the score points of a progress answer
   * @param pointIteration reads a point's iteration
   * @param pointScore reads a point's score
   */
  public static <J, P, Q> JobKind<J, P> withProgress(String name, Function<J, String> idOf,
      Function<J, String> statusOf, List<List<String>> states, String resumeHint, ToIntFunction<J> iteration,
      ToIntFunction<J> maxIterations, Function<J, OptionalDouble> bestScore, Function<P, List<Q>> points,
      ToIntFunction<Q> pointIteration, ToDoubleFunction<Q> pointScore) {
    Function<P, List<ScorePoint>> scorePoints = progress -> {
      List<ScorePoint> made = new ArrayList<>();
      for (Q point : points.apply(progress)) {
        made.add(ScorePoint.of(pointIteration.applyAsInt(point), pointScore.applyAsDouble(point), point));
      }
      return made;
    };
    return new JobKind<>(name, idOf, statusOf, states, resumeHint, iteration, maxIterations, bestScore, scorePoints);
  }

  /** Returns the kind's name ({@code optimization}). */
  public String name() {
    return name;
  }

  /** Returns whether the kind runs in iterations, with a progress operation. */
  public boolean hasProgress() {
    return points != null;
  }

  /** Returns whether a status is one the spec lists for this kind. */
  boolean known(String status) {
    return running.contains(status) || completed.contains(status) || failed.contains(status)
        || cancelled.contains(status);
  }

  /** Returns whether a status ends the job. */
  boolean terminal(String status) {
    return completed.contains(status) || failed.contains(status) || cancelled.contains(status);
  }
}
