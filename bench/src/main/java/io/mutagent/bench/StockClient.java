package io.mutagent.bench;

import java.io.IOException;
import org.openapitools.client.ApiClient;
import org.openapitools.client.api.PromptApi;
import org.openapitools.client.model.Prompt;
import org.openapitools.client.model.PromptPage;
import retrofit2.Response;

/**
 * The client that OpenAPI Generator 7.25.0's stock retrofit2 templates make from the same spec,
 * used the way its README shows: an ApiClient with the API key auth, a service interface, and
 * {@code execute()} on the returned Call.
 */
final class StockClient {
  final ApiClient apiClient;
  final PromptApi prompts;

  StockClient(String serverUrl, String apiKey) {
    this.apiClient = new ApiClient("ApiKeyAuth", apiKey);
    apiClient.getAdapterBuilder().baseUrl(serverUrl + "/");
    this.prompts = apiClient.createService(PromptApi.class);
  }

  Prompt getPrompt(String promptId) throws IOException {
    return body(prompts.getPrompt(promptId, null, null).execute());
  }

  PromptPage listPrompts(int limit) throws IOException {
    return body(prompts.listPrompts(null, limit, null, null, null, null).execute());
  }

  private static <T> T body(Response<T> response) throws IOException {
    if (!response.isSuccessful()) {
      throw new IOException("HTTP " + response.code() + " from " + response.raw().request().url());
    }
    return response.body();
  }
}
