package io.mutagent.codegen;

import com.google.common.collect.ImmutableMap;
import com.samskivert.mustache.Mustache;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.openapitools.codegen.CodegenOperation;
import org.openapitools.codegen.CodegenParameter;
import org.openapitools.codegen.languages.JavaClientCodegen;

/**
 * The stock Java generator (library retrofit2) with the two things our templates need from Java
 * code, which no setting of the generator gives:
 * <ul>
 *   <li>the Mustache lambda {@code javadoc} ({@link Javadoc#escape}), through which the templates
 *       write every text of the spec into Javadoc, and the operation's summary as the spec has it
 *       ({@code vendorExtensions.x-mutagent-summary}; the stock {@code summary} is already escaped
 *       for a Java string, which shows {@code \"} in Javadoc);</li>
 *   <li>no example computed for a request body: the stock generator logs "Ignoring complex
 *       example on request body" for every model body that has an example in the spec, then
 *       makes one for API documentation and stub tests, which we do not generate.</li>
 * </ul>
 * Named by {@code generatorName} in {@code generator-templates/config.yaml}.
 */
public class MutagentCodegen extends JavaClientCodegen {
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
    return op;
  }

  @Override
  public void setParameterExampleValue(CodegenParameter parameter, RequestBody body) {
    // No example: the templates use none (see the class comment).
  }
}
