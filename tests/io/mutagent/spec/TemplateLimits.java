package io.mutagent.spec;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What our templates do not generate correctly, refused up front with what to change instead, so
 * that the next spec fails in TemplateLimitsTest with a clear message rather than as Java that does
 * not compile or a request that is quietly wrong. Each rule is shown by a small spec under
 * {@code tests-resources/specs/} in {@link TemplateLimitsTest}; each shape the templates do
 * generate (query parameters on any method, required, array and enum ones, a body on DELETE, a
 * binary body with a query) by a small spec that SpecFixturesTest compiles and sends.
 */
final class TemplateLimits {
  private TemplateLimits() {}

  /** The problems of the spec at {@code location}, each naming its operation and the rule. */
  static List<String> problems(String location) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    OpenAPI api = new OpenAPIParser().readLocation(location, null, options).getOpenAPI();
    List<String> problems = new ArrayList<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) ->
        check(method.name(), method + " " + path + " (" + op.getOperationId() + ")", op, problems)));
    // An enum written inline is only seen before the parser resolves the $refs.
    options.setResolveFully(false);
    OpenAPI unresolved = new OpenAPIParser().readLocation(location, null, options).getOpenAPI();
    unresolved.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
      for (Parameter p : op.getParameters() == null ? List.<Parameter>of() : op.getParameters()) {
        if (p.get$ref() != null) {
          p = unresolved.getComponents().getParameters().get(p.get$ref().replaceFirst(".*/", ""));
        }
        Schema<?> schema = p.getSchema();
        Schema<?> items = schema == null ? null : schema.getItems();
        if ("query".equals(p.getIn()) && schema != null && (schema.getEnum() != null || items != null && items.getEnum() != null)) {
          problems.add(method + " " + path + " (" + op.getOperationId() + "): query parameter " + p.getName()
              + " has an inline enum; make it a named schema (an open enum in Java), as every enum of the spec is");
        }
      }
    }));
    return problems;
  }

  private static void check(String method, String name, Operation op, List<String> problems) {
    for (Parameter p : op.getParameters() == null ? List.<Parameter>of() : op.getParameters()) {
      boolean clientHeader = p.getExtensions() != null
          && Boolean.TRUE.equals(p.getExtensions().get("x-mutagent-client-header"));
      Schema<?> schema = p.getSchema();
      String type = schema == null ? null : schema.getType();
      String format = schema == null ? null : schema.getFormat();
      switch (p.getIn()) {
        case "header":
          if (!clientHeader) {
            problems.add(name + ": header parameter " + p.getName() + " is not supported by the templates; "
                + "mark it x-mutagent-client-header (the client sets it) or pass it through RequestOptions.header");
          }
          break;
        case "cookie":
          problems.add(name + ": cookie parameter " + p.getName() + " is not supported; the API takes "
              + "credentials in headers (remove it, or extend api.mustache first)");
          break;
        case "path":
          if (!"string".equals(type)) {
            problems.add(name + ": path parameter " + p.getName() + " has type " + type + "; the "
                + "facade's ids are strings (Check.pathParam): make it type: string");
          }
          break;
        case "query":
          if ("array".equals(type)) {
            Schema<?> items = schema.getItems();
            String itemType = items == null ? null : items.getType();
            if (Boolean.FALSE.equals(p.getExplode()) || (p.getStyle() != null && p.getStyle() != Parameter.StyleEnum.FORM)) {
              problems.add(name + ": query parameter " + p.getName() + " is an array not in style form with explode "
                  + "true; the templates send an array as one name=value per item (style form, explode true, the "
                  + "default): use those, or a string (e.g. comma-separated)");
            } else if (!"string".equals(itemType) && !"integer".equals(itemType) && !"number".equals(itemType)
                && !"boolean".equals(itemType)) {
              problems.add(name + ": query parameter " + p.getName() + " is an array of " + itemType
                  + "; the templates send arrays of strings, numbers or booleans only");
            }
          }
          if ("object".equals(type)) {
            problems.add(name + ": query parameter " + p.getName() + " is an object; style and explode "
                + "are not generated: use a string or extend the templates first");
          }
          if ("date-time".equals(format) || "date".equals(format)) {
            problems.add(name + ": query parameter " + p.getName() + " is a " + format + "; it would be sent "
                + "with toString(), which drops :00 seconds: use a string with a described format");
          }
          break;
        default:
          break;
      }
    }
    if (op.getRequestBody() != null && (method.equals("GET") || method.equals("HEAD"))) {
      problems.add(name + ": a request body on a " + method + " is not supported: Retrofit sends none, "
          + "and HTTP gives it no meaning; take the values as query parameters, or make it a POST");
    }
    if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
      for (Map.Entry<String, ?> media : op.getRequestBody().getContent().entrySet()) {
        String type = media.getKey();
        if (type.startsWith("multipart/") || type.equals("application/x-www-form-urlencoded")) {
          problems.add(name + ": a " + type + " body is not supported by the templates; send JSON, or "
              + "binary through x-mutagent-binary-body");
        }
      }
    }
  }
}
