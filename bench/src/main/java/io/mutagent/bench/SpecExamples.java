package io.mutagent.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The response bodies the loopback server sends, taken from the examples in openapi/mutagent.yaml
 * so that the benchmark parses what the API documents: the getPrompt example as it is, and a
 * listPrompts page of {@link #LIST_ITEMS} prompts made by repeating the example's prompts (each
 * with its own id).
 */
final class SpecExamples {
  /** Items on the listPrompts page. */
  static final int LIST_ITEMS = 50;
  /** The prompt id the benchmarks ask for (the example's). */
  static final String PROMPT_ID = "prm_7Hq2mXk9";

  private static final Gson GSON = new GsonBuilder().serializeNulls().create();

  final String getPromptBody;
  final String listPromptsBody;

  private SpecExamples(String getPromptBody, String listPromptsBody) {
    this.getPromptBody = getPromptBody;
    this.listPromptsBody = listPromptsBody;
  }

  /** Reads both bodies from the spec. */
  static SpecExamples load(Path spec) throws IOException {
    Map<String, Object> root;
    try (Reader in = Files.newBufferedReader(spec, StandardCharsets.UTF_8)) {
      root = new Yaml().load(in);
    }
    Map<String, Object> one = example(root, "/api/prompt/{promptId}");
    Map<String, Object> page = example(root, "/api/prompt");

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> examplePrompts = (List<Map<String, Object>>) page.get("data");
    List<Map<String, Object>> data = new ArrayList<>();
    for (int i = 0; i < LIST_ITEMS; i++) {
      Map<String, Object> prompt = new LinkedHashMap<>(examplePrompts.get(i % examplePrompts.size()));
      prompt.put("id", prompt.get("id") + String.format("%02d", i));
      data.add(prompt);
    }
    Map<String, Object> pagination = new LinkedHashMap<>();
    pagination.put("page", 1);
    pagination.put("limit", LIST_ITEMS);
    pagination.put("total", LIST_ITEMS);
    pagination.put("hasMore", false);
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("data", data);
    list.put("pagination", pagination);
    return new SpecExamples(GSON.toJson(one), GSON.toJson(list));
  }

  /** The trace of the spec's ingestTraces request example, read by the SDK's models from its JSON. */
  static io.mutagent.models.TraceInput exampleTrace(Path spec) throws IOException {
    return exampleRequest(spec).traces().get(0);
  }

  /** The spec's ingestTraces request example (one trace), read by the SDK's models from its JSON. */
  @SuppressWarnings("unchecked")
  static io.mutagent.models.IngestTracesRequest exampleRequest(Path spec) throws IOException {
    Map<String, Object> root;
    try (Reader in = Files.newBufferedReader(spec, StandardCharsets.UTF_8)) {
      root = new Yaml().load(in);
    }
    Object node = root;
    for (String key : new String[] {"paths", "/api/traces", "post", "requestBody", "content", "application/json",
        "example"}) {
      node = ((Map<String, Object>) node).get(key);
      if (node == null) {
        throw new IllegalStateException("the spec has no " + key + " under POST /api/traces");
      }
    }
    // The models carry their own Gson adapter, so any Gson reads them.
    return new Gson().fromJson(GSON.toJson(node), io.mutagent.models.IngestTracesRequest.class);
  }

  /** The same trace made with the builders, as an application makes one: date-times as OffsetDateTime values. */
  static io.mutagent.models.TraceInput built(io.mutagent.models.TraceInput read) {
    List<io.mutagent.models.SpanInput> spans = new ArrayList<>();
    for (io.mutagent.models.SpanInput span : read.spans()) {
      spans.add(span.toBuilder().startTime(span.startTime()).endTime(span.endTime()).build());
    }
    return read.toBuilder().startTime(read.startTime()).endTime(read.endTime()).spans(spans).build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> example(Map<String, Object> root, String path) {
    Object node = root;
    for (String key : new String[] {"paths", path, "get", "responses", "200", "content",
        "application/json", "example"}) {
      node = ((Map<String, Object>) node).get(key);
      if (node == null) {
        throw new IllegalStateException("the spec has no " + key + " under GET " + path
            + " (the benchmark needs the 200 example)");
      }
    }
    return (Map<String, Object>) node;
  }

  /**
   * Finds openapi/mutagent.yaml: the system property {@code bench.spec}, else the first
   * openapi/mutagent.yaml in the working directory or one of its parents.
   */
  static Path specPath() {
    String configured = System.getProperty("bench.spec");
    if (configured != null) {
      return Paths.get(configured);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("openapi/mutagent.yaml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("openapi/mutagent.yaml not found from " + Paths.get("").toAbsolutePath()
        + "; set -Dbench.spec=/path/to/openapi/mutagent.yaml");
  }
}
