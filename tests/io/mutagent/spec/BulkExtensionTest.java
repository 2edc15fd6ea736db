package io.mutagent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code x-mutagent-bulk}, which gives an operation a chunked method: on {@code bulkAddDatasetItems}
 * only, naming an array field of its body that states {@code maxItems} (the generator sizes the
 * chunks by it, and the chunked method refuses a larger {@code chunkSize}), and documented.
 */
class BulkExtensionTest {
  @Test
  void theBulkOperationCarriesTheExtensionNamingAnArrayWithMaxItems() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    OpenAPI api = new OpenAPIV3Parser().read(ChangesExtensionTest.SPEC, null, options);
    Map<String, Map<?, ?>> marked = new TreeMap<>();
    Map<String, Operation> operations = new TreeMap<>();
    for (PathItem path : api.getPaths().values()) {
      for (Operation operation : path.readOperations()) {
        Object extension = operation.getExtensions() == null ? null : operation.getExtensions().get("x-mutagent-bulk");
        if (extension != null) {
          marked.put(operation.getOperationId(), (Map<?, ?>) extension);
          operations.put(operation.getOperationId(), operation);
        }
      }
    }
    assertEquals(java.util.Set.of("bulkAddDatasetItems"), marked.keySet());
    Map<?, ?> bulk = marked.get("bulkAddDatasetItems");
    assertEquals("InChunks", bulk.get("methodSuffix"));
    Schema<?> body = operations.get("bulkAddDatasetItems").getRequestBody().getContent().get("application/json").getSchema();
    Schema<?> resolved = api.getComponents().getSchemas().get(body.get$ref().replaceFirst(".*/", ""));
    Schema<?> array = resolved.getProperties().get((String) bulk.get("itemsField"));
    assertNotNull(array, "itemsField names a property of the body");
    assertEquals("array", array.getType());
    assertEquals(1000, array.getMaxItems(), "the API's most items per request, which the chunks keep to");
    assertTrue(api.getInfo().getDescription().contains("x-mutagent-bulk"), "the extension is documented");
  }
}
