/**
 * The exceptions the SDK throws, all unchecked, under {@link io.mutagent.errors.MutagentException}.
 * Null-marked: a type is non-null unless it says {@code @Nullable}.
 */
@NullMarked
package io.mutagent.errors;

import org.jspecify.annotations.NullMarked;
