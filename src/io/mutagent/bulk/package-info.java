/**
 * Bulk uploads: the settings ({@link io.mutagent.bulk.BulkOptions}), progress
 * ({@link io.mutagent.bulk.BulkProgress}, {@link io.mutagent.bulk.BulkProgressListener} and a
 * ready one-line display, {@link io.mutagent.bulk.BulkProgressLine}) and the summary
 * ({@link io.mutagent.bulk.BulkResult}) of the chunked methods the spec marks
 * {@code x-mutagent-bulk}, such as
 * {@code client.promptDatasetItems().bulkAddDatasetItemsInChunks(datasetId, items)}. Null-marked.
 */
@NullMarked
package io.mutagent.bulk;

import org.jspecify.annotations.NullMarked;
