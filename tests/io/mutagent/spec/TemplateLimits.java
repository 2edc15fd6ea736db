package io.mutagent.spec;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What our templates do not generate correctly, refused up front with what to change instead, so
 * that the next spec fails in SpecRulesTest with a clear message rather than as Java that does
 * not compile or a request that is quietly wrong. Each rule is shown by a small spec under
 * {@code tests-resources/specs/} in {@link TemplateLimitsTest}.
 */
final class TemplateLimits {
  private TemplateLimits() {}

  static List<String> problems(OpenAPI api) {
    List<String> problems = new ArrayList<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) ->
        check(method + " " + path + " (" + op.getOperationId() + ")", op, problems)));
    return problems;
  }

  private static void check(String name, Operation op, List<String> problems) {
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
          if (Boolean.TRUE.equals(p.getRequired())) {
            problems.add(name + ": query parameter " + p.getName() + " is required, but the templates "
                + "put query parameters in an optional params object; make it a path parameter or optional");
          }
          if ("array".equals(type) || "object".equals(type)) {
            problems.add(name + ": query parameter " + p.getName() + " is an " + type + "; style and explode "
                + "are not generated: use a string (e.g. comma-separated) or extend the templates first");
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
