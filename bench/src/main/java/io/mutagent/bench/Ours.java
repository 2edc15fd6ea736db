package io.mutagent.bench;

import io.mutagent.AsyncMutagent;
import io.mutagent.Mutagent;
import io.mutagent.services.PromptParams;

/**
 * How the benchmarks make and derive SDK clients, in one place.
 */
final class Ours {
  /** The API key every client sends (the server does not check it). */
  static final String API_KEY = "mt_bench_0123456789abcdef";

  /** The listPrompts parameters of the benchmarks: one page of 50. */
  static final PromptParams.ListPromptsParams LIST_50 =
      PromptParams.ListPromptsParams.builder().limit(SpecExamples.LIST_ITEMS).build();

  private Ours() {}

  static Mutagent client(String serverUrl) {
    return Mutagent.builder().apiKey(API_KEY).serverUrl(serverUrl).build();
  }

  static AsyncMutagent asyncClient(String serverUrl) {
    return AsyncMutagent.builder().apiKey(API_KEY).serverUrl(serverUrl).build();
  }

  /**
   * The derived client whose copy time and new threads the benchmarks measure (LifecycleBench,
   * ThreadProbe): a copy with another timeout, sharing the parent's pool and threads.
   */
  static Mutagent derive(Mutagent parent) {
    return parent.withOptions(b -> b.timeout(java.time.Duration.ofSeconds(30)));
  }
}
