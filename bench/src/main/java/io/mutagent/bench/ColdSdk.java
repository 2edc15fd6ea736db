package io.mutagent.bench;

import io.mutagent.Mutagent;

/** {@link ColdStart}'s SDK run: build a client, one getPrompt. Arguments: url, prompt id, launch time. */
public final class ColdSdk {
  private ColdSdk() {}

  /** Builds the client and makes the call; prints the result line. */
  public static void main(String[] args) {
    long start = System.nanoTime();
    Mutagent client = Mutagent.builder().apiKey(Ours.API_KEY).serverUrl(args[0]).build();
    ColdStart.report(Long.parseLong(args[2]), start, client.prompt().getPrompt(args[1]).name());
  }
}
