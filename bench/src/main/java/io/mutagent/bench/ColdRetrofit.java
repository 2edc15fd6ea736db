package io.mutagent.bench;

import java.io.IOException;
import retrofit2.Call;
import retrofit2.Retrofit;
import retrofit2.converter.gson.GsonConverterFactory;
import retrofit2.http.GET;
import retrofit2.http.Header;
import retrofit2.http.Path;

/**
 * {@link ColdStart}'s minimal Retrofit run: one interface, the Gson converter, the models of
 * {@link RawClient}. Arguments: url, prompt id, launch time.
 */
public final class ColdRetrofit {
  private ColdRetrofit() {}

  /** The one operation. */
  interface PromptApi {
    @GET("api/prompt/{promptId}")
    Call<RawClient.Prompt> getPrompt(@Path("promptId") String promptId, @Header("x-api-key") String apiKey);
  }

  /** Builds the client and makes the call; prints the result line. */
  public static void main(String[] args) throws IOException {
    long start = System.nanoTime();
    PromptApi api = new Retrofit.Builder().baseUrl(args[0] + "/")
        .addConverterFactory(GsonConverterFactory.create()).build().create(PromptApi.class);
    retrofit2.Response<RawClient.Prompt> response = api.getPrompt(args[1], Ours.API_KEY).execute();
    if (!response.isSuccessful()) {
      throw new IOException("HTTP " + response.code());
    }
    ColdStart.report(Long.parseLong(args[2]), start, response.body().name);
  }
}
