/**
 * The API's namespaces, one blocking and one async class per tag, generated from the OpenAPI
 * document (the classes are in target/generated-sources; this file is handwritten). Null-marked: a
 * type is non-null unless it says {@code @Nullable}.
 */
@NullMarked
package io.mutagent.services;

import org.jspecify.annotations.NullMarked;
