package io.mutagent.internal.json;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.Reader;
import java.util.Collection;

/**
 * The JsonReader of a response body: Gson's, with the strictness Gson gives its own readers, and
 * the credentials of the client that made the call, so that a path a message names (a map key in
 * it is server text) masks them, as every other message made from server data does. Internal.
 */
public final class ResponseJsonReader extends JsonReader {
  private final Collection<String> secrets;

  /**
   * Creates a reader of a response body.
   *
   * @param in the body's text
   * @param secrets the credentials to mask in messages
   */
  public ResponseJsonReader(Reader in, Collection<String> secrets) {
    super(in);
    setStrictness(Strictness.LEGACY_STRICT);
    this.secrets = secrets;
  }

  /** Returns the credentials to mask in messages. */
  Collection<String> secrets() {
    return secrets;
  }
}
