package io.mutagent.prompts;

import io.mutagent.models.Prompt;
import io.mutagent.models.PromptMessage;
import io.mutagent.models.PromptVariable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Fills a prompt's placeholders locally, with no request, by the rules the spec states on
 * {@code PromptVariable}:
 *
 * <ul>
 *   <li>A placeholder is <code>&#123;&#123;</code>, any number of spaces, a variable's name exactly
 *       (case-sensitive), any number of spaces, then <code>&#125;&#125;</code>: {@code {{question}}} and
 *       {@code {{ question }}} are the same placeholder. The text is read left to right; a
 *       placeholder ends at the first <code>&#125;&#125;</code> after its <code>&#123;&#123;</code>.
 *   <li>There is no escaping: text between <code>&#123;&#123;</code> and <code>&#125;&#125;</code> that names no variable of the
 *       prompt stays as written.
 *   <li>A given value replaces every occurrence of its placeholder, as is (a value is never read
 *       for placeholders itself).
 *   <li>A variable with no value takes its {@code defaultValue}; with no default, it fails if it is
 *       {@code required}, else it becomes the empty string.
 *   <li>Values for names that are not variables of the prompt are ignored.
 *   <li>The content and each message's content are filled the same way.
 * </ul>
 *
 * <pre>{@code
 * FilledPrompt filled = PromptTemplates.fill(prompt, Map.of("question", "How do I reset my key?"));
 * String system = filled.messages().get(0).content();
 * }</pre>
 */
public final class PromptTemplates {
  private PromptTemplates() {}

  /**
   * Fills the prompt's content and messages with the values, by variable name.
   *
   * @param prompt the prompt, as {@code getPrompt} (or a {@link PromptCache}) returned it
   * @param values the values by variable name; names that are not variables of the prompt are ignored
   * @return the filled content and messages, with the prompt's id and version; a prompt built by
   *     hand without content or variables counts as having empty content and no variables
   * @throws IllegalArgumentException if a required variable with no default has no value (the
   *     message names it), a value is null, or an argument is null
   */
  public static FilledPrompt fill(Prompt prompt, Map<String, String> values) {
    if (prompt == null) {
      throw new IllegalArgumentException("prompt must not be null: pass the prompt getPrompt returned");
    }
    Map<String, String> resolved = resolve(orNull(prompt::variables), values);
    String content = orNull(prompt::content);
    List<PromptMessage> messages = new ArrayList<>();
    for (PromptMessage message : prompt.messages().orElse(List.of())) {
      messages.add(message.toBuilder().content(replace(message.content(), resolved)).build());
    }
    return new FilledPrompt(orNull(prompt::id), orNull(prompt::latestVersion),
        content == null ? "" : replace(content, resolved), messages);
  }

  /**
   * Returns a field the API always sends, or null when a prompt built by hand (a fallback) lacks it.
   */
  private static <T> @Nullable T orNull(java.util.function.Supplier<T> field) {
    try {
      return field.get();
    } catch (io.mutagent.errors.MutagentInvalidDataException missing) {
      return null;
    }
  }

  /**
   * Fills one template text with the values of these variables, by the same rules as
   * {@link #fill(Prompt, Map)}.
   *
   * @param template the text with {@code {{name}}} placeholders
   * @param variables the variables the text may use (their defaults and whether they are required)
   * @param values the values by variable name; names that are not in {@code variables} are ignored
   * @return the filled text
   * @throws IllegalArgumentException if a required variable with no default has no value (the
   *     message names it), a value is null, or an argument is null
   */
  public static String fillText(String template, List<PromptVariable> variables, Map<String, String> values) {
    if (template == null) {
      throw new IllegalArgumentException("template must not be null: pass the text to fill");
    }
    if (variables == null) {
      throw new IllegalArgumentException("variables must not be null: pass the prompt's variables "
          + "(List.of() for none)");
    }
    return replace(template, resolve(variables, values));
  }

  /**
   * Returns a prompt made of this content alone, for a fallback: each name found in a placeholder
   * becomes a variable that is not required and has no default (so filling leaves it empty when no
   * value is given). It has only {@code content} and {@code variables}: its other required
   * accessors ({@code id()}, {@code latestVersion()}, ...) throw
   * {@link io.mutagent.errors.MutagentInvalidDataException}, as for a field a response left out.
   *
   * @throws IllegalArgumentException if the content is null
   */
  public static Prompt fromContent(String content) {
    if (content == null) {
      throw new IllegalArgumentException("content must not be null: pass the prompt text to fall back on");
    }
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    int open = content.indexOf("{{");
    while (open >= 0) {
      int close = content.indexOf("}}", open + 2);
      if (close < 0) {
        break;
      }
      String name = content.substring(open + 2, close).replaceAll("^ +| +$", "");
      if (!name.isEmpty() && !name.contains("{{")) {
        names.add(name);
        open = content.indexOf("{{", close + 2);
      } else {
        open = content.indexOf("{{", open + 1);
      }
    }
    com.google.gson.JsonArray variables = new com.google.gson.JsonArray();
    for (String name : names) {
      com.google.gson.JsonObject variable = new com.google.gson.JsonObject();
      variable.addProperty("name", name);
      variable.addProperty("required", false);
      variables.add(variable);
    }
    com.google.gson.JsonObject prompt = new com.google.gson.JsonObject();
    prompt.addProperty("content", content);
    prompt.add("variables", variables);
    // Read as a response is: the builder would insist on the fields the API always sends.
    return io.mutagent.internal.Json.gson().fromJson(prompt, Prompt.class);
  }

  /** Returns the value of every variable, after defaults; fails on a missing required one. */
  private static Map<String, String> resolve(@Nullable List<PromptVariable> variables,
      @Nullable Map<String, String> values) {
    if (variables == null) {
      variables = List.of();
    }
    if (values == null) {
      throw new IllegalArgumentException("values must not be null: pass the values by variable name "
          + "(Map.of() for none)");
    }
    Map<String, String> resolved = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (PromptVariable variable : variables) {
      String name = variable.name();
      if (resolved.containsKey(name)) {
        continue; // the first declaration of a name decides
      }
      String value;
      if (values.containsKey(name)) {
        value = values.get(name);
        if (value == null) {
          throw new IllegalArgumentException("the value of variable '" + name + "' is null: pass a "
              + "string, or leave the name out to use its default");
        }
      } else if (variable.defaultValue().isPresent()) {
        value = variable.defaultValue().get();
      } else if (variable.required()) {
        missing.add(name);
        continue;
      } else {
        value = "";
      }
      resolved.put(name, value);
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException((missing.size() == 1
          ? "required variable '" + missing.get(0) + "' has"
          : "required variables '" + String.join("', '", missing) + "' have")
          + " no value and no default: put a value for it in the map");
    }
    return Collections.unmodifiableMap(resolved);
  }

  /** Replaces each placeholder of a variable in {@code text} by its value, left to right. */
  static String replace(String text, Map<String, String> values) {
    int open = text.indexOf("{{");
    if (open < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 64);
    int copied = 0;
    while (open >= 0) {
      int close = text.indexOf("}}", open + 2);
      if (close < 0) {
        break;
      }
      int start = open + 2;
      int end = close;
      while (start < end && text.charAt(start) == ' ') {
        start++;
      }
      while (end > start && text.charAt(end - 1) == ' ') {
        end--;
      }
      String value = values.get(text.substring(start, end));
      if (value != null) {
        out.append(text, copied, open).append(value);
        copied = close + 2;
        open = text.indexOf("{{", copied);
      } else {
        open = text.indexOf("{{", open + 1); // not a placeholder: it stays as written
      }
    }
    return out.append(text, copied, text.length()).toString();
  }
}
