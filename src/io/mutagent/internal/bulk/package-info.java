/**
 * The engine of the chunked bulk methods ({@code x-mutagent-bulk}): {@link
 * io.mutagent.internal.bulk.BulkRun} cuts the items into chunks and keeps the counts;
 * {@link io.mutagent.internal.bulk.BulkUploads} sends them one after the other, blocking or
 * chained through the async client. Internal: called by generated code.
 */
@NullMarked
package io.mutagent.internal.bulk;

import org.jspecify.annotations.NullMarked;
