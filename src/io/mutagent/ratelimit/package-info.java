/**
 * Staying inside the plan's limits: {@link io.mutagent.ratelimit.RateLimits} (the client's
 * limiter settings, {@code ClientBuilder.rateLimits}), {@link io.mutagent.ratelimit.RateLimitStatus}
 * (what the limiter knows, {@code client.rateLimitStatus()}) and the wait listener. Null-marked.
 */
@NullMarked
package io.mutagent.ratelimit;

import org.jspecify.annotations.NullMarked;
