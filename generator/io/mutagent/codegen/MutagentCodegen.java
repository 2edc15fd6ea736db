package io.mutagent.codegen;

import static org.openapitools.codegen.utils.StringUtils.camelize;

import com.google.common.collect.ImmutableMap;
import com.samskivert.mustache.Mustache;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openapitools.codegen.CodegenOperation;
import org.openapitools.codegen.CodegenParameter;
import org.openapitools.codegen.languages.JavaClientCodegen;
import org.openapitools.codegen.utils.ModelUtils;

/**
 * The stock Java generator (library retrofit2) with what our templates need from Java code, which
 * no setting of the generator gives:
 * <ul>
 *   <li>the lists every method signature is written from, so that the templates need no logic to
 *       tell them apart ({@code vendorExtensions} of each operation):
 *       {@code x-mutagent-ids}, the path parameters then the required query parameters, the
 *       arguments every method of the operation starts with; {@code x-mutagent-positional}, the
 *       ids and then the body, if any; {@code x-mutagent-optional-query}, the optional query
 *       parameters, which the operation's params class holds; {@code x-mutagent-params}, that
 *       class's name ({@code GetPromptParams}); {@code x-mutagent-body-on-delete}, a DELETE with a
 *       request body (Retrofit's {@code @DELETE} takes none);</li>
 *   <li>the Mustache lambda {@code javadoc} ({@link Javadoc#escape}), through which the templates
 *       write every text of the spec into Javadoc, and the operation's summary as the spec has it
 *       ({@code vendorExtensions.x-mutagent-summary}; the stock {@code summary} is already escaped
 *       for a Java string, which shows {@code \"} in Javadoc);</li>
 *   <li>for an operation marked {@code x-mutagent-bulk}, what its chunked method needs from the
 *       body's schema ({@link #bulk}): {@code maxItems}, the most items of one request, read from
 *       the array's {@code maxItems}, and {@code itemType}, the model of one item, and {@code itemsProperty}, the field's
 *       Java name (its builder setter);</li>
 *   <li>a parameter's Java name that would clash in its params class gets "Param" appended
 *       ({@link #toParamName});</li>
 *   <li>no example computed for a request body: the stock generator logs "Ignoring complex
 *       example on request body" for every model body that has an example in the spec, then
 *       makes one for API documentation and stub tests, which we do not generate.</li>
 * </ul>
 * Named by {@code generatorName} in {@code generator-templates/config.yaml}.
 */
public class MutagentCodegen extends JavaClientCodegen {
  /**
   * Java names a parameter cannot take, because its getter in the params class would clash with
   * a method of Object (notify() is final) or of the params class itself; such a parameter gets
   * "Param" appended ({@code notify} becomes {@code notifyParam()}).
   */
  private static final Set<String> TAKEN = Set.of("getClass", "hashCode", "equals", "toString", "clone", "finalize",
      "notify", "notifyAll", "wait", "none", "builder", "toBuilder", "query");

  @Override
  public String toParamName(String name) {
    String javaName = super.toParamName(name);
    return TAKEN.contains(javaName) ? javaName + "Param" : javaName;
  }

  @Override
  protected ImmutableMap.Builder<String, Mustache.Lambda> addMustacheLambdas() {
    return super.addMustacheLambdas()
        .put("javadoc", (fragment, out) -> out.write(Javadoc.escape(fragment.execute())));
  }

  @Override
  public CodegenOperation fromOperation(String path, String httpMethod, Operation operation, List<Server> servers) {
    CodegenOperation op = super.fromOperation(path, httpMethod, operation, servers);
    if (operation.getSummary() != null) {
      op.vendorExtensions.put("x-mutagent-summary", operation.getSummary());
    }
    List<CodegenParameter> ids = new ArrayList<>(op.pathParams);
    List<CodegenParameter> optional = new ArrayList<>();
    for (CodegenParameter query : op.queryParams) {
      (query.required ? ids : optional).add(query);
    }
    List<CodegenParameter> positional = new ArrayList<>(ids);
    if (op.bodyParam != null) {
      positional.add(op.bodyParam);
    }
    op.vendorExtensions.put("x-mutagent-ids", ids);
    op.vendorExtensions.put("x-mutagent-positional", positional);
    op.vendorExtensions.put("x-mutagent-optional-query", optional);
    op.vendorExtensions.put("x-mutagent-params", camelize(op.operationId) + "Params");
    if (op.bodyParam != null && "DELETE".equalsIgnoreCase(httpMethod)) {
      op.vendorExtensions.put("x-mutagent-body-on-delete", true);
    }
    Object bulk = op.vendorExtensions.get("x-mutagent-bulk");
    if (bulk != null) {
      op.vendorExtensions.put("x-mutagent-bulk", bulk(op.operationId, operation, (Map<?, ?>) bulk));
    }
    return op;
  }

  /**
   * Returns {@code x-mutagent-bulk} with the facts of the body's array field added:
   * {@code maxItems} (its schema's) and {@code itemType} (the model of its items).
   *
   * @throws IllegalStateException if the body has no such array field, or it states no maxItems
   *     or no item model (the chunks could not be sized)
   */
  private Map<String, Object> bulk(String operationId, Operation operation, Map<?, ?> extension) {
    Object itemsField = extension.get("itemsField");
    String where = operationId + ": x-mutagent-bulk";
    RequestBody body = operation.getRequestBody() == null ? null
        : ModelUtils.getReferencedRequestBody(openAPI, operation.getRequestBody());
    MediaType json = body == null || body.getContent() == null ? null : body.getContent().get("application/json");
    Schema<?> schema = json == null ? null : ModelUtils.getReferencedSchema(openAPI, json.getSchema());
    Schema<?> array = schema == null || schema.getProperties() == null ? null
        : ModelUtils.getReferencedSchema(openAPI, schema.getProperties().get(String.valueOf(itemsField)));
    if (array == null || array.getItems() == null) {
      throw new IllegalStateException(where + " names itemsField " + itemsField
          + ", which is not an array property of the operation's application/json body");
    }
    if (array.getMaxItems() == null || array.getMaxItems() < 1) {
      throw new IllegalStateException(where + ": the body's " + itemsField + " states no maxItems; the chunks "
          + "are sized by it");
    }
    String ref = array.getItems().get$ref();
    if (ref == null || extension.get("methodSuffix") == null) {
      throw new IllegalStateException(where + ": the items of " + itemsField + " must be a named schema ($ref), "
          + "and the extension must give methodSuffix");
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    extension.forEach((key, value) -> facts.put(String.valueOf(key), value));
    facts.put("maxItems", array.getMaxItems());
    facts.put("itemType", toModelName(ModelUtils.getSimpleRef(ref)));
    facts.put("itemsProperty", toVarName(String.valueOf(itemsField)));
    return facts;
  }

  @Override
  public void setParameterExampleValue(CodegenParameter parameter, RequestBody body) {
    // No example: the templates use none (see the class comment).
  }
}
