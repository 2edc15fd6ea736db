/**
 * The clients ({@link io.mutagent.Mutagent}, {@link io.mutagent.AsyncMutagent}), their builder and
 * options, pages and raw responses. Null-marked: a type is non-null unless it says
 * {@code @Nullable}.
 */
@NullMarked
package io.mutagent;

import org.jspecify.annotations.NullMarked;
