package io.mutagent.prompts;

import io.mutagent.models.PromptMessage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A prompt with its placeholders filled ({@link PromptTemplates#fill}): the content and messages to
 * send to a model, and the id and version of the prompt they came from (for traces). Immutable.
 */
public final class FilledPrompt {
  private final @Nullable String promptId;
  private final @Nullable Integer version;
  private final String content;
  private final List<PromptMessage> messages;

  FilledPrompt(@Nullable String promptId, @Nullable Integer version, String content, List<PromptMessage> messages) {
    this.promptId = promptId;
    this.version = version;
    this.content = content;
    this.messages = List.copyOf(messages);
  }

  /** Returns the id of the prompt that was filled; empty for a prompt without one (a fallback). */
  public Optional<String> promptId() {
    return Optional.ofNullable(promptId);
  }

  /**
   * Returns the version of the prompt that was filled (its {@code latestVersion} when it was read);
   * empty for a prompt without one (a fallback).
   */
  public OptionalInt version() {
    return version == null ? OptionalInt.empty() : OptionalInt.of(version);
  }

  /** Returns the filled content. */
  public String content() {
    return content;
  }

  /** Returns the filled chat messages, in order; empty when the prompt has none. */
  public List<PromptMessage> messages() {
    return messages;
  }

  /** Returns whether the other object is a filled prompt with the same id, version, content and messages. */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof FilledPrompt)) {
      return false;
    }
    FilledPrompt that = (FilledPrompt) other;
    return Objects.equals(promptId, that.promptId) && Objects.equals(version, that.version)
        && content.equals(that.content)
        && messages.equals(that.messages);
  }

  /** Returns a hash of the id, version, content and messages. */
  @Override
  public int hashCode() {
    return Objects.hash(promptId, version, content, messages);
  }

  /** Describes the prompt id, version and the sizes of the filled texts (not the texts, which may hold user data). */
  @Override
  public String toString() {
    return "FilledPrompt{promptId=" + promptId + ", version=" + version + ", content=" + content.length()
        + " chars, messages=" + messages.size() + "}";
  }
}
