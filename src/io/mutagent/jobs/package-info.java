/**
 * Waiting on long-running jobs (optimizations, evaluation runs, experiments): the options of a wait
 * ({@link io.mutagent.jobs.WaitOptions}), what a listener hears while it goes on
 * ({@link io.mutagent.jobs.JobListener}, {@link io.mutagent.jobs.JobSnapshot},
 * {@link io.mutagent.jobs.ScorePoint}, the ready one-line display {@link io.mutagent.jobs.ProgressLine}),
 * and how a wait ends other than with the finished job ({@link io.mutagent.jobs.JobException} and
 * its subclasses). The waiting methods themselves are on the namespaces, e.g.
 * {@code client.optimization().startOptimizationAndWait(...)}.
 * Null-marked: a type is non-null unless it says {@code @Nullable}.
 */
@NullMarked
package io.mutagent.jobs;

import org.jspecify.annotations.NullMarked;
