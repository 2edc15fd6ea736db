package example.modular;

import io.mutagent.AsyncMutagent;
import io.mutagent.Mutagent;
import io.mutagent.RequestOptions;
import io.mutagent.errors.NotFoundException;
import io.mutagent.models.CreatePromptRequest;
import io.mutagent.models.Prompt;
import io.mutagent.models.PromptPage;
import java.util.ArrayList;
import java.util.List;

/**
 * A modular application on the published SDK: checks that the SDK is the named module io.mutagent
 * with its internals hidden, then makes a few calls against the server in MUTAGENT_SERVER_URL
 * (Prism under make release-check). Models are read and written by Gson across module boundaries.
 * Exits 1 if any check fails.
 */
public final class Main {
  private static final List<String> failures = new ArrayList<>();
  private static int passed;

  private Main() {}

  public static void main(String[] args) {
    Module sdk = Mutagent.class.getModule();
    String version = System.getProperty("expected.mutagent.version");
    System.out.println("consumer-modular: " + Main.class.getModule().getName() + " requires " + sdk.getDescriptor().toNameAndVersion()
        + ", on the module path: " + ModuleLayer.boot().findModule("io.mutagent").isPresent());

    check("the SDK is the named module io.mutagent@" + version,
        "io.mutagent".equals(sdk.getName())
            && sdk.getDescriptor().rawVersion().map(version::equals).orElse(false));
    check("this application is a named module", Main.class.getModule().isNamed());
    check("io.mutagent exports its API packages",
        sdk.isExported("io.mutagent") && sdk.isExported("io.mutagent.models")
            && sdk.isExported("io.mutagent.services") && sdk.isExported("io.mutagent.errors"));
    check("io.mutagent hides io.mutagent.internal and every package under it",
        sdk.getPackages().stream().filter(p -> p.startsWith("io.mutagent.internal")).count() >= 5
            && sdk.getPackages().stream().filter(p -> p.startsWith("io.mutagent.internal")).noneMatch(sdk::isExported));

    try (Mutagent client = Mutagent.builder().apiKey("mt_consumer_example").build()) {
      PromptPage page = client.prompt().listPrompts();
      check("listPrompts returns the mock's prompts", !page.data().isEmpty());

      Prompt created = client.prompt().createPrompt(CreatePromptRequest.builder()
          .name("Support reply")
          .content("Answer the customer: {{question}}")
          .build());
      check("createPrompt returns a prompt with an id", !created.id().isBlank());

      try {
        client.prompt().getPrompt("prm_missing", RequestOptions.builder().header("Prefer", "code=404").build());
        check("getPrompt of a missing prompt throws NotFoundException", false);
      } catch (NotFoundException e) {
        check("getPrompt of a missing prompt throws NotFoundException", e.statusCode() == 404);
      }
    }

    try (AsyncMutagent client = AsyncMutagent.builder().apiKey("mt_consumer_example").build()) {
      int size = client.prompt().listPrompts().thenApply(page -> page.data().size()).join();
      check("the async client lists the same prompts", size > 0);
    }

    failures.forEach(failure -> System.out.println("consumer-modular: FAILED: " + failure));
    System.out.println("consumer-modular: " + passed + " passed, " + failures.size() + " failed");
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  private static void check(String what, boolean ok) {
    if (ok) {
      passed++;
    } else {
      failures.add(what);
    }
  }
}
