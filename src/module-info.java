/**
 * The MutagenT Java SDK: {@link io.mutagent.Mutagent} (blocking) and {@link io.mutagent.AsyncMutagent}
 * (futures), their namespaces in {@code io.mutagent.services}, the models in
 * {@code io.mutagent.models}, the exceptions in {@code io.mutagent.errors}, and the options,
 * listeners and endings of waits on long-running jobs in {@code io.mutagent.jobs}.
 */
module io.mutagent {
  // Public API types come from these two: OkHttpClient (ClientBuilder.httpClient, the one OkHttp
  // type in the API) and Gson's JsonElement (free-form model fields). A module that requires
  // io.mutagent reads them too.
  requires transitive okhttp3;
  requires transitive com.google.gson;
  // Internal only: Retrofit runs the generated interfaces; okio carries request bodies.
  requires retrofit2;
  requires okio;
  // Not used by the SDK itself: OkHttp 4, okio and Retrofit are automatic modules written in
  // Kotlin and cannot require it, and an explicit module such as kotlin.stdlib is resolved only
  // when some module requires it. Without this line an application on the module path fails with
  // NoClassDefFoundError: kotlin/jvm/internal/Intrinsics (seen in examples/consumer-modular).
  requires kotlin.stdlib;
  // Nullness annotations (@NullMarked packages, @Nullable where null is allowed), read by the
  // compilers and tools of callers; nothing reads them at run time, so the module is not needed
  // there (JSpecify's own advice for annotation-only use). The jar still reaches callers' class and
  // module paths through the pom (compile scope), so Kotlin and IDEs see the nullness. Transitive,
  // since the public API carries them: a module that requires io.mutagent reads them when they are
  // there (javac warns on every public @Nullable otherwise), and nothing needs them at run time.
  requires static transitive org.jspecify;
  // java.util.logging, for internal.http.DebugOutput: where System.Logger goes to JUL as the JDK
  // ships it, a DEBUG client attaches a stderr handler for the lines below INFO. (OkHttp logs
  // through JUL as well, so an image that runs the SDK has this module anyway.)
  requires java.logging;

  exports io.mutagent;
  exports io.mutagent.bulk;
  exports io.mutagent.errors;
  exports io.mutagent.jobs;
  exports io.mutagent.models;
  exports io.mutagent.prompts;
  exports io.mutagent.ratelimit;
  exports io.mutagent.services;
  exports io.mutagent.tracing;
  // Not exported, not API: io.mutagent.internal and its packages api (the generated Retrofit
  // interfaces), http (transport), json, text, otlp, ratelimit, jobs, cache (the prompt caches),
  // tracing and bulk (chunked uploads).

  // Each model names its Gson adapter factory with @JsonAdapter(ModelJson.class), and Gson creates
  // it reflectively. Without this, the first (de)serialization of a model fails with "module
  // io.mutagent does not open io.mutagent.internal.json to module com.google.gson".
  opens io.mutagent.internal.json to com.google.gson;
  // Each open enum names its own adapter, a package-private nested class: the same reason.
  opens io.mutagent.models to com.google.gson;
}
