/**
 * The request and response models, generated from the OpenAPI document (the classes are in
 * target/generated-sources; this file is handwritten). Null-marked: a type is non-null unless it
 * says {@code @Nullable}; builder setters take {@code @Nullable} values (null leaves the field out).
 */
@NullMarked
package io.mutagent.models;

import org.jspecify.annotations.NullMarked;
