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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.openapitools.codegen.CodegenOperation;
import org.openapitools.codegen.CodegenParameter;
import org.openapitools.codegen.languages.JavaClientCodegen;
import org.openapitools.codegen.model.ModelMap;
import org.openapitools.codegen.model.OperationMap;
import org.openapitools.codegen.model.OperationsMap;
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
 *   <li>for an operation that starts a long-running job ({@code x-mutagent-job} in the spec), what
 *       its waiting methods are written from ({@code vendorExtensions.x-mutagent-job-java}, see
 *       {@link #jobFacts}): the names of the waiting methods and of the kind's constant, the
 *       operations that read the job, its result and its progress (which must be in the same tag),
 *       their Java types, and the states as Java string literals;</li>
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

  @Override
  public OperationsMap postProcessOperationsWithModels(OperationsMap objs, List<ModelMap> allModels) {
    OperationsMap processed = super.postProcessOperationsWithModels(objs, allModels);
    OperationMap operations = processed.getOperations();
    if (operations == null) {
      return processed;
    }
    Map<String, CodegenOperation> byId = new HashMap<>();
    for (CodegenOperation op : operations.getOperation()) {
      byId.put(op.operationId, op);
    }
    for (CodegenOperation op : operations.getOperation()) {
      Object job = op.vendorExtensions.get("x-mutagent-job");
      if (job instanceof Map) {
        op.vendorExtensions.put("x-mutagent-job-java", jobFacts(op, (Map<?, ?>) job, byId));
      }
    }
    return processed;
  }

  /**
   * Returns what the templates write an operation's waiting methods from: its
   * {@code x-mutagent-job} (see the spec's info description), resolved against the operations of
   * its tag.
   *
   * @throws IllegalStateException if the extension names an operation that is not in the tag, or
   *     lacks a field (SpecRulesTest says which rule the spec breaks)
   */
  static Map<String, Object> jobFacts(CodegenOperation start, Map<?, ?> job, Map<String, CodegenOperation> tag) {
    String name = text(start, job, "name");
    CodegenOperation status = operation(start, tag, text(start, job, "statusOperation"));
    if (status.pathParams.size() != 1) {
      throw new IllegalStateException(start.operationId + ": x-mutagent-job.statusOperation " + status.operationId
          + " must take the job id as its one path parameter");
    }
    Map<String, Object> facts = new HashMap<>();
    facts.put("jobName", name);
    facts.put("jobConstant", name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_JOB");
    facts.put("jobAndWait", start.operationId + "AndWait");
    facts.put("jobWaitFor", "waitFor" + camelize(name));
    facts.put("jobIdParameter", status.pathParams.get(0));
    facts.put("jobStatusOperation", status.operationId);
    facts.put("jobStatusParams", camelize(status.operationId) + "Params");
    facts.put("jobType", status.returnType);
    facts.put("jobIdAccessor", text(start, job, "idField"));
    facts.put("jobStatusAccessor", text(start, job, "statusField"));
    facts.put("jobRunning", literals(job.get("runningStates")));
    facts.put("jobPaused", literals(job.get("pausedStates")));
    facts.put("jobCompleted", literals(job.get("completedStates")));
    facts.put("jobFailed", literals(job.get("failedStates")));
    facts.put("jobCancelled", literals(job.get("cancelledStates")));
    facts.put("jobFinalType", status.returnType);
    if (job.get("cancelOperation") != null) {
      facts.put("jobCancelOperation", operation(start, tag, String.valueOf(job.get("cancelOperation"))).operationId);
    }
    if (job.get("resultOperation") != null) {
      CodegenOperation result = operation(start, tag, String.valueOf(job.get("resultOperation")));
      Map<String, Object> reading = new HashMap<>();
      reading.put("jobResultOperation", result.operationId);
      reading.put("jobResultParams", camelize(result.operationId) + "Params");
      facts.put("jobResult", reading);
      facts.put("jobFinalType", result.returnType);
    }
    Object progress = job.get("progress");
    if (progress instanceof Map) {
      Map<?, ?> fields = (Map<?, ?>) progress;
      CodegenOperation read = operation(start, tag, text(start, fields, "operation"));
      Map<String, Object> reading = new HashMap<>();
      reading.put("jobProgressOperation", read.operationId);
      reading.put("jobProgressParams", camelize(read.operationId) + "Params");
      reading.put("jobProgressType", read.returnType);
      for (String field : List.of("iterationField", "maxIterationsField", "bestScoreField", "pointsField",
          "pointIterationField", "pointScoreField")) {
        reading.put("job" + camelize(field), text(start, fields, field));
      }
      facts.put("jobProgress", reading);
    }
    return facts;
  }

  private static CodegenOperation operation(CodegenOperation start, Map<String, CodegenOperation> tag, String id) {
    CodegenOperation found = tag.get(id);
    if (found == null) {
      throw new IllegalStateException(start.operationId + ": x-mutagent-job names " + id
          + ", which is not an operation of its tag");
    }
    return found;
  }

  private static String text(CodegenOperation start, Map<?, ?> fields, String name) {
    Object value = fields.get(name);
    if (value == null || String.valueOf(value).isBlank()) {
      throw new IllegalStateException(start.operationId + ": x-mutagent-job has no " + name);
    }
    return String.valueOf(value);
  }

  /** Returns states as Java string literals, comma-separated ({@code "queued", "running"}), or "" for none. */
  private static String literals(Object states) {
    if (!(states instanceof List)) {
      return "";
    }
    return ((List<?>) states).stream().map(state -> "\"" + String.valueOf(state).replace("\\", "\\\\")
        .replace("\"", "\\\"") + "\"").collect(Collectors.joining(", "));
  }
}
