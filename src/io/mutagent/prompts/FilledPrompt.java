package io.mutagent.prompts;

import io.mutagent.models.PromptMessage;
import java.util.List;
import java.util.Objects;

/**
 * A prompt with its placeholders filled ({@link PromptTemplates#fill}): the content and messages to
 * send to a model, and the id and version of the prompt they came from (for traces). Immutable.
 */
public final class FilledPrompt {
  private final String promptId;
  private final int version;
  private final String content;
  private final List<PromptMessage> messages;

  FilledPrompt(String promptId, int version, String content, List<PromptMessage> messages) {
    this.promptId = promptId;
    this.version = version;
    this.content = content;
    this.messages = List.copyOf(messages);
  }

  /** Returns the id of the prompt that was filled. */
  public String promptId() {
    return promptId;
  }

  /** Returns the version of the prompt that was filled (its {@code latestVersion} when it was read). */
  public int version() {
    return version;
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
    return promptId.equals(that.promptId) && version == that.version && content.equals(that.content)
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
