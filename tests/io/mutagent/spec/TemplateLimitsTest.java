package io.mutagent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The spec shapes the templates cannot generate are refused by name, each shown with a small spec;
 * the shapes they generate are not (SpecFixturesTest compiles and sends them); the real spec has
 * none of the refused ones.
 */
class TemplateLimitsTest {
  static List<String> problems(String location) {
    return TemplateLimits.problems(location);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "header-param.yaml | header parameter X-Trace is not supported by the templates; mark it x-mutagent-client-header",
      "cookie-param.yaml | cookie parameter session is not supported",
      "integer-path.yaml | path parameter itemId has type integer; the facade's ids are strings",
      "array-query-csv.yaml | query parameter tags is an array not in style form with explode true; the templates send an array as one name=value per item",
      "inline-enum-query.yaml | query parameter color has an inline enum; make it a named schema",
      "date-query.yaml | query parameter since is a date-time; it would be sent with toString()",
      "body-on-get.yaml | a request body on a GET is not supported",
      "form-body.yaml | a multipart/form-data body is not supported by the templates"})
  void aShapeTheTemplatesCannotGenerateIsRefusedWithTheFix(String spec, String message) {
    List<String> problems = problems("tests-resources/specs/" + spec);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains(message), problems.get(0));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"added-query-after.yaml", "query-on-post.yaml", "query-on-patch.yaml", "query-on-delete.yaml", "body-on-delete.yaml",
      "required-query.yaml", "array-query.yaml", "enum-query.yaml", "binary-query.yaml", "javadoc-text.yaml"})
  void aShapeTheTemplatesGenerateIsNotRefused(String spec) {
    assertEquals(List.of(), problems("tests-resources/specs/" + spec));
  }

  @Test
  void theRealSpecHasNone() {
    assertEquals(List.of(), problems(SpecRulesTest.specLocation()));
  }
}
