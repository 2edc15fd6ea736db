package io.mutagent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The documentation of an OpenAPI document: its descriptions, summaries and examples, which change
 * no request, no response and no generated signature. {@link #strip} removes them, so that
 * openapi-diff compares only what a client depends on; {@link #changes} lists where they changed,
 * so that a documentation-only change is reported as one.
 *
 * <p>A key is documentation only where the OpenAPI object model puts a documentation field: the
 * walk knows which maps hold names ({@code properties}, {@code paths}, {@code responses}, ...), so a
 * schema property called {@code description} or {@code example} is API, not documentation, and it
 * never looks inside values ({@code enum}, {@code default}, ...) or extensions ({@code x-...}).
 */
final class SpecDocs {
  /** The fields that only document: their text reaches Javadoc and the reference, never the wire. */
  static final Set<String> DOC_FIELDS = Set.of("description", "summary", "example", "examples", "externalDocs");

  /** Fields whose value is a map from names to objects: the names are never fields. */
  private static final Set<String> NAME_MAPS = Set.of(
      "paths", "properties", "patternProperties", "responses", "content", "headers", "links", "callbacks",
      "encoding", "variables", "schemas", "parameters", "requestBodies", "securitySchemes", "pathItems",
      "webhooks", "definitions", "$defs", "dependentSchemas");

  /** Fields whose value is data, looked at as a whole and never walked. */
  private static final Set<String> VALUES = Set.of(
      "enum", "default", "const", "required", "security", "scopes", "discriminator", "$ref");

  private SpecDocs() {}

  static ObjectMapper yaml() {
    // Every string quoted (the default): a plain '200' or '1.0' would be read back as a number.
    return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
  }

  static JsonNode read(Path file) throws IOException {
    return yaml().readTree(Files.newBufferedReader(file));
  }

  static void write(JsonNode tree, Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    yaml().writeValue(file.toFile(), tree);
  }

  /** A copy of {@code spec} without its documentation fields. */
  static JsonNode strip(JsonNode spec) {
    JsonNode copy = spec.deepCopy();
    walkObject(copy, "", (owner, field, pointer) -> ((ObjectNode) owner).remove(field));
    return copy;
  }

  /**
   * Where the documentation changed between two documents: the JSON pointer of each documentation
   * field that differs, where the object that carries it is in both (the text of an added or removed
   * operation or schema is part of that addition or removal, not a documentation change).
   */
  static List<String> changes(JsonNode oldSpec, JsonNode newSpec) {
    Map<String, JsonNode> before = docs(oldSpec);
    Map<String, JsonNode> after = docs(newSpec);
    Set<String> pointers = new TreeSet<>(before.keySet());
    pointers.addAll(after.keySet());
    List<String> changed = new ArrayList<>();
    for (String pointer : pointers) {
      if (Objects.equals(before.get(pointer), after.get(pointer))) {
        continue;
      }
      String owner = pointer.substring(0, pointer.lastIndexOf('/'));
      if (owner.isEmpty() || (!oldSpec.at(owner).isMissingNode() && !newSpec.at(owner).isMissingNode())) {
        changed.add(pointer);
      }
    }
    return changed;
  }

  /**
   * The documentation changes grouped by what a reader knows them by: operations by operationId,
   * components by kind and name ({@code schemas: Prompt, ...}), the rest by top-level field.
   */
  static Map<String, Set<String>> group(List<String> pointers, JsonNode oldSpec, JsonNode newSpec) {
    Map<String, Set<String>> groups = new TreeMap<>((a, b) -> rank(a) != rank(b)
        ? Integer.compare(rank(a), rank(b)) : a.compareTo(b));
    for (String pointer : pointers) {
      List<String> parts = split(pointer);
      String top = parts.get(0);
      if (top.equals("paths") && parts.size() >= 4 && HTTP_METHODS.contains(parts.get(2))) {
        String base = "/" + escape("paths") + "/" + escape(parts.get(1)) + "/" + parts.get(2);
        JsonNode operation = newSpec.at(base).isMissingNode() ? oldSpec.at(base) : newSpec.at(base);
        String id = operation.path("operationId").asText(parts.get(2).toUpperCase() + " " + parts.get(1));
        groups.computeIfAbsent("operations", k -> new TreeSet<>()).add(id);
      } else if (top.equals("paths") && parts.size() >= 2) {
        groups.computeIfAbsent("paths", k -> new TreeSet<>()).add(parts.get(1));
      } else if (top.equals("components") && parts.size() >= 3) {
        groups.computeIfAbsent(parts.get(1), k -> new TreeSet<>()).add(parts.get(2));
      } else if (top.equals("tags") && parts.size() >= 2) {
        JsonNode tag = newSpec.at("/tags/" + parts.get(1));
        groups.computeIfAbsent("tags", k -> new TreeSet<>()).add(tag.path("name").asText(parts.get(1)));
      } else {
        groups.computeIfAbsent(top, k -> new TreeSet<>()).add(String.join(".", parts.subList(1, parts.size() - 1)));
      }
    }
    groups.values().forEach(names -> names.remove(""));
    return groups;
  }

  private static int rank(String group) {
    switch (group) {
      case "info":
        return 0;
      case "tags":
        return 1;
      case "operations":
        return 2;
      case "paths":
        return 3;
      default:
        return 4;
    }
  }

  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private static Map<String, JsonNode> docs(JsonNode spec) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    walkObject(spec, "", (owner, field, pointer) -> out.put(pointer, owner.get(field)));
    return out;
  }

  private interface DocVisitor {
    void visit(JsonNode owner, String field, String pointer);
  }

  /** Walks an OpenAPI object (or a list of them), visiting each documentation field it carries. */
  private static void walkObject(JsonNode node, String pointer, DocVisitor visitor) {
    if (node instanceof ArrayNode) {
      for (int i = 0; i < node.size(); i++) {
        walkObject(node.get(i), pointer + "/" + i, visitor);
      }
      return;
    }
    if (!(node instanceof ObjectNode)) {
      return;
    }
    List<String> fields = new ArrayList<>();
    node.fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      String at = pointer + "/" + escape(field);
      JsonNode value = node.get(field);
      if (field.startsWith("x-") || VALUES.contains(field)) {
        continue;
      }
      if (DOC_FIELDS.contains(field)) {
        visitor.visit(node, field, at);
      } else if (NAME_MAPS.contains(field) && value instanceof ObjectNode) {
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> named = it.next();
          walkObject(named.getValue(), at + "/" + escape(named.getKey()), visitor);
        }
      } else {
        walkObject(value, at, visitor);
      }
    }
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private static List<String> split(String pointer) {
    List<String> parts = new ArrayList<>();
    for (String part : pointer.substring(1).split("/", -1)) {
      parts.add(part.replace("~1", "/").replace("~0", "~"));
    }
    return parts;
  }
}
