package example.consumer;

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
 * A small application on the published SDK: checks where the SDK and OkHttp came from, then makes
 * a few calls against the server in MUTAGENT_SERVER_URL (Prism under make release-check). Exits 1
 * if any check fails.
 */
public final class Main {
  private static final List<String> failures = new ArrayList<>();
  private static int passed;

  private Main() {}

  public static void main(String[] args) {
    String sdkJar = Mutagent.class.getProtectionDomain().getCodeSource().getLocation().toString();
    String version = System.getProperty("expected.mutagent.version");
    String okhttp = okhttp3.OkHttp.VERSION;
    System.out.println("consumer: mutagent-java from " + sdkJar);
    System.out.println("consumer: okhttp " + okhttp + ", " + System.getenv("MUTAGENT_SERVER_URL"));

    check("the SDK is the published jar " + version,
        sdkJar.endsWith("/io/mutagent/mutagent-java/" + version + "/mutagent-java-" + version + ".jar"));
    check("OkHttp is " + System.getProperty("expected.okhttp") + "x",
        okhttp.startsWith(System.getProperty("expected.okhttp")));

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

    failures.forEach(failure -> System.out.println("consumer: FAILED: " + failure));
    System.out.println("consumer: " + passed + " passed, " + failures.size() + " failed");
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
