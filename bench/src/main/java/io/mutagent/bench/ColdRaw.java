package io.mutagent.bench;

import java.io.IOException;

/** {@link ColdStart}'s raw OkHttp + Gson run ({@link RawClient}). Arguments: url, prompt id, launch time. */
public final class ColdRaw {
  private ColdRaw() {}

  /** Builds the client and makes the call; prints the result line. */
  public static void main(String[] args) throws IOException {
    long start = System.nanoTime();
    RawClient client = new RawClient(args[0], Ours.API_KEY);
    ColdStart.report(Long.parseLong(args[2]), start, client.getPrompt(args[1]).name);
  }
}
