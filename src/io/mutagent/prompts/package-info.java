/**
 * Prompts in production: {@link io.mutagent.prompts.PromptTemplates} fills a prompt's
 * {@code {{name}}} placeholders locally, and {@link io.mutagent.prompts.PromptCache} serves prompts
 * from memory, refreshing them in the background. Null-marked: a type is non-null unless it says
 * {@code @Nullable}.
 */
@NullMarked
package io.mutagent.prompts;

import org.jspecify.annotations.NullMarked;
