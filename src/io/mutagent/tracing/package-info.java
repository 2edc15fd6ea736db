/**
 * Traces shipped in the background: a {@link io.mutagent.tracing.TraceBatcher}, made from a client
 * ({@code client.traceBatcher(options)}), queues traces in memory and sends them in batches of up
 * to 100 ({@code ingestTraces}) from one thread of the SDK, so that recording a trace never blocks
 * or fails the application. Null-marked: a type is non-null unless it says {@code @Nullable}.
 */
@NullMarked
package io.mutagent.tracing;

import org.jspecify.annotations.NullMarked;
