package io.mutagent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The spec shapes the templates cannot generate are refused by name, each shown with a small spec;
 * the real spec has none of them.
 */
class TemplateLimitsTest {
  static List<String> problems(String location) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    return TemplateLimits.problems(new OpenAPIParser().readLocation(location, null, options).getOpenAPI());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "header-param.yaml | header parameter X-Trace is not supported by the templates; mark it x-mutagent-client-header",
      "cookie-param.yaml | cookie parameter session is not supported",
      "integer-path.yaml | path parameter itemId has type integer; the facade's ids are strings",
      "required-query.yaml | query parameter q is required",
      "array-query.yaml | query parameter tags is an array; style and explode are not generated",
      "date-query.yaml | query parameter since is a date-time; it would be sent with toString()",
      "form-body.yaml | a multipart/form-data body is not supported by the templates"})
  void aShapeTheTemplatesCannotGenerateIsRefusedWithTheFix(String spec, String message) {
    List<String> problems = problems("tests-resources/specs/" + spec);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains(message), problems.get(0));
  }

  @Test
  void theRealSpecHasNone() {
    assertEquals(List.of(), problems(SpecRulesTest.specLocation()));
  }
}
