package io.mutagent.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.models.PromptStatus;
import io.mutagent.services.PromptParams.ListPromptsParams;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A params object is an immutable value; what it sends is the values set, in the spec's order. */
class ParamsTest {
  private static final ListPromptsParams SOME =
      ListPromptsParams.builder().status(PromptStatus.of("active")).limit(50).build();

  @Test
  void gettersGiveWhatWasSetAndEmptyForTheRest() {
    assertEquals(OptionalInt.of(50), SOME.limit());
    assertEquals(Optional.of(PromptStatus.of("active")), SOME.status());
    assertEquals(OptionalInt.empty(), SOME.page());
    assertEquals(Optional.empty(), SOME.search());
    assertEquals(OptionalInt.empty(), ListPromptsParams.none().limit());
  }

  @Test
  void equalValuesAreEqualWithTheHashOfTheirValuesInOrder() {
    ListPromptsParams same = ListPromptsParams.builder().limit(50).status(PromptStatus.of("active")).build();
    assertEquals(SOME, same);
    assertEquals(Objects.hash(null, 50, null, PromptStatus.of("active")), SOME.hashCode());
    assertEquals(SOME.hashCode(), same.hashCode());
    assertNotEquals(SOME, same.toBuilder().page(2).build());
    assertNotEquals(SOME, ListPromptsParams.none());
    assertFalse(SOME.equals(null));
  }

  @Test
  void toStringListsTheValuesSet() {
    assertEquals("ListPromptsParams{limit=50, status=active}", SOME.toString());
    assertEquals("ListPromptsParams{}", ListPromptsParams.none().toString());
  }

  @Test
  void aBuilderFromToBuilderChangesOnlyItsCopy() {
    ListPromptsParams.Builder builder = SOME.toBuilder();
    ListPromptsParams paged = builder.page(3).build();
    builder.page(4);
    assertEquals(OptionalInt.of(3), paged.page(), "a built object does not follow its builder");
    assertEquals(OptionalInt.empty(), SOME.page(), "nor does the object the builder came from");
    assertEquals(OptionalInt.of(4), builder.build().page());
  }

  @Test
  void theQuerySentIsTheValuesSetByApiNameInTheSpecsOrder() {
    Map<String, Object> query = SOME.toBuilder().page(2).build().query();
    assertEquals(List.of("page", "limit", "status"), List.copyOf(query.keySet()));
    assertEquals(List.of(2, 50, PromptStatus.of("active")), List.copyOf(query.values()));
    assertEquals(50, query.get("limit"));
    assertTrue(ListPromptsParams.none().query().isEmpty());
  }

  @Test
  void outOfRangeValuesAreRefusedWhenSet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ListPromptsParams.builder().limit(101));
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }
}
