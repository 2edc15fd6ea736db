/**
 * The client-side rate limiter: one {@link io.mutagent.internal.ratelimit.Window} per credential
 * (what the server counts a window against), learned from the response headers, and the
 * {@link io.mutagent.internal.ratelimit.RateLimiters} of one client family that hands out permits.
 * Decisions only: the transport ({@code internal.http.CallRunner}) does the waiting. Internal.
 */
@NullMarked
package io.mutagent.internal.ratelimit;

import org.jspecify.annotations.NullMarked;
