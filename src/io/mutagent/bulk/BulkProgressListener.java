package io.mutagent.bulk;

/**
 * Told how a bulk upload goes: once after each chunk ends (sent or failed), in chunk order, the
 * last time with {@link BulkProgress#finished()} true. Blocking uploads call it on the caller's
 * thread; async ones on the SDK's own threads (the thread that completes the chunk's call), never
 * on a JVM-shared one. If it throws anything, the upload ends there with a
 * {@link BulkUploadException} (no further chunk is sent); the client and its other calls go on.
 */
@FunctionalInterface
public interface BulkProgressListener {
  /**
   * Receives the upload's progress after a chunk.
   *
   * @param progress the counts so far
   */
  void onProgress(BulkProgress progress);
}
