package io.mutagent.jobs;

import java.util.Objects;

/** One point of a job's score progression: an iteration and the score it reached. Immutable. */
public final class ScorePoint {
  private final int iteration;
  private final double score;
  private final Object point;

  private ScorePoint(int iteration, double score, Object point) {
    this.iteration = iteration;
    this.score = score;
    this.point = point;
  }

  /**
   * Makes a point; the SDK's waits make them, tests of a listener may too.
   *
   * @param iteration the iteration, from 1
   * @param score the score of its candidate, from 0 to 1
   * @param point the object the API answered with (a {@code ProgressPoint})
   * @return the point
   * @throws NullPointerException if point is null
   */
  public static ScorePoint of(int iteration, double score, Object point) {
    return new ScorePoint(iteration, score, Objects.requireNonNull(point, "point"));
  }

  /** Returns the iteration, from 1. */
  public int iteration() {
    return iteration;
  }

  /** Returns the score of the iteration's candidate, from 0 to 1. */
  public double score() {
    return score;
  }

  /** Returns the point as the API sent it (an {@code io.mutagent.models.ProgressPoint}). */
  public Object point() {
    return point;
  }

  @Override
  public String toString() {
    return "ScorePoint{iteration=" + iteration + ", score=" + score + "}";
  }
}
