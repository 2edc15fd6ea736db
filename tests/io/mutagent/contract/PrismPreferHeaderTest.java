package io.mutagent.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mutagent.Mutagent;
import io.mutagent.RequestOptions;
import io.mutagent.TestClients;
import io.mutagent.errors.NotFoundException;
import io.mutagent.models.Prompt;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the README's error example says about the Prism mock: it answers an unknown id with the
 * spec's example, and {@code Prefer: code=404} asks it for the spec's 404, which the SDK turns into
 * {@link NotFoundException} with the message the README quotes.
 */
@Tag("contract")
@ExtendWith(PrismServer.class)
class PrismPreferHeaderTest {

  @Test
  void prismAnswersTheExampleUnlessPreferAsksForThe404() {
    try (Mutagent client = TestClients.mutagent().apiKey("mt_readme_example").serverUrl(PrismServer.baseUrl()).build()) {
      Prompt prompt = client.prompt().getPrompt("prm_missing");
      assertEquals(SpecOperations.byId("getPrompt").responseExample().getAsJsonObject().get("id").getAsString(),
          prompt.id());

      NotFoundException e = assertThrows(NotFoundException.class, () -> client.prompt().getPrompt("prm_missing",
          RequestOptions.builder().header("Prefer", "code=404").build()));
      assertEquals("404 Not Found from GET /api/prompt/prm_missing: The requested resource does not exist in "
          + "workspace ws_8Lm2QpR5, or the credentials cannot see it. [not_found] (request id req_2Nf8Kq4Lw1)",
          e.getMessage());
      assertEquals(Optional.of("not_found"), e.errorCode());
    }
  }
}
