package io.mutagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mutagent.errors.NotFoundException;
import io.mutagent.models.Prompt;
import io.mutagent.services.PromptParams.ListPromptsParams;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Auto-pagination: pages fetched lazily, with the same parameters and options, sync and async. */
class PaginationTest {
  MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = TestServers.mockWebServer();
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  static String prompt(String id) {
    return "{\"id\":\"" + id + "\",\"workspaceId\":\"ws_1\",\"name\":\"" + id + "\",\"content\":\"c\","
        + "\"status\":\"active\",\"latestVersion\":1,\"createdAt\":\"2026-10-12T08:30:00Z\","
        + "\"updatedAt\":\"2026-11-02T09:14:00Z\"}";
  }

  static MockResponse page(int page, boolean hasMore, String... ids) {
    String data = java.util.Arrays.stream(ids).map(PaginationTest::prompt).collect(Collectors.joining(","));
    return new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"data\":[" + data
        + "],\"pagination\":{\"page\":" + page + ",\"limit\":2,\"total\":5,\"hasMore\":" + hasMore + "}}");
  }

  void threePages() {
    server.enqueue(page(1, true, "p1", "p2"));
    server.enqueue(page(2, true, "p3", "p4"));
    server.enqueue(page(3, false, "p5"));
  }

  static final ListPromptsParams PARAMS = ListPromptsParams.builder().limit(2).search("support").build();
  static final RequestOptions OPTIONS = RequestOptions.builder().header("X-Trace", "t-7").build();

  void assertEveryPageKeptTheParametersAndOptions(int pages) throws InterruptedException {
    for (int i = 1; i <= pages; i++) {
      var request = server.takeRequest(1, TimeUnit.SECONDS);
      assertEquals("/api/prompt?page=" + i + "&limit=2&search=support", request.getPath());
      assertEquals("t-7", request.getHeader("X-Trace"));
    }
  }

  @Test
  void theSyncPagerWalksThreePagesWithThreeRequestsFetchingEachOnlyWhenNeeded() throws Exception {
    threePages();
    try (Mutagent client = TestClients.mutagent().serverUrl(server.url("/").toString()).build()) {
      AutoPager<Prompt> pager = client.prompt().listPromptsAutoPaging(PARAMS, OPTIONS);
      assertEquals(0, server.getRequestCount(), "nothing is fetched before iterating");
      Iterator<Prompt> items = pager.iterator();
      assertEquals("p1", items.next().id());
      assertEquals("p2", items.next().id());
      assertEquals(1, server.getRequestCount(), "page 2 is not fetched before it is needed");
      assertEquals("p3", items.next().id());
      assertEquals(2, server.getRequestCount());
      List<String> rest = new ArrayList<>();
      items.forEachRemaining(p -> rest.add(p.id()));
      assertEquals(List.of("p4", "p5"), rest);
      assertFalse(items.hasNext());
      assertThrows(NoSuchElementException.class, items::next);
    }
    assertEquals(3, server.getRequestCount());
    assertEveryPageKeptTheParametersAndOptions(3);
  }

  @Test
  void aStreamIsLazyToo() {
    threePages();
    try (Mutagent client = TestClients.mutagent().serverUrl(server.url("/").toString()).build()) {
      List<String> first3 = client.prompt().listPromptsAutoPaging(PARAMS, OPTIONS).stream()
          .limit(3).map(Prompt::id).collect(Collectors.toList());
      assertEquals(List.of("p1", "p2", "p3"), first3);
    }
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void pagesCanBeWalkedByHand() throws Exception {
    threePages();
    try (Mutagent client = TestClients.mutagent().serverUrl(server.url("/").toString()).build()) {
      Page<Prompt> page = client.prompt().listPromptsAutoPaging(PARAMS, OPTIONS).firstPage();
      List<Integer> sizes = new ArrayList<>();
      sizes.add(page.items().size());
      while (page.hasNextPage()) {
        page = page.nextPage();
        sizes.add(page.items().size());
      }
      assertEquals(List.of(2, 2, 1), sizes);
      assertEquals(3, page.pagination().page());
      Page<Prompt> last = page;
      assertThrows(NoSuchElementException.class, last::nextPage);
    }
    assertEveryPageKeptTheParametersAndOptions(3);
  }

  @Test
  void anEmptyPageEndsTheWalkEvenWhenTheServerSaysThereIsMore() {
    server.enqueue(page(1, true, "p1"));
    server.enqueue(page(2, true));
    server.enqueue(page(3, true, "never"));
    try (Mutagent client = TestClients.mutagent().serverUrl(server.url("/").toString()).build()) {
      List<String> ids = client.prompt().listPromptsAutoPaging().stream().map(Prompt::id).collect(Collectors.toList());
      assertEquals(List.of("p1"), ids);
    }
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void theWalkStartsAtTheGivenPage() throws Exception {
    server.enqueue(page(4, false, "p7"));
    try (Mutagent client = TestClients.mutagent().serverUrl(server.url("/").toString()).build()) {
      assertEquals(1, client.prompt().listPromptsAutoPaging(ListPromptsParams.builder().page(4).build(),
          RequestOptions.none()).stream().count());
    }
    assertEquals("/api/prompt?page=4", server.takeRequest().getPath());
  }

  @Test
  void theAsyncPagerWalksThreePagesWithThreeRequests() throws Exception {
    threePages();
    try (AsyncMutagent client = TestClients.asyncMutagent().serverUrl(server.url("/").toString()).build()) {
      AsyncAutoPager<Prompt> pager = client.prompt().listPromptsAutoPaging(PARAMS, OPTIONS);
      assertEquals(0, server.getRequestCount(), "nothing is fetched before a walk starts");
      List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
      pager.forEach(p -> ids.add(p.id())).get(5, TimeUnit.SECONDS);
      assertEquals(List.of("p1", "p2", "p3", "p4", "p5"), ids);
    }
    assertEquals(3, server.getRequestCount());
    assertEveryPageKeptTheParametersAndOptions(3);
  }

  @Test
  void theAsyncPagerFetchesTheNextPageOnlyWhenAsked() throws Exception {
    threePages();
    try (AsyncMutagent client = TestClients.asyncMutagent().serverUrl(server.url("/").toString()).build()) {
      AsyncPage<Prompt> first = client.prompt().listPromptsAutoPaging(PARAMS, OPTIONS).firstPage().get(5, TimeUnit.SECONDS);
      assertEquals(2, first.items().size());
      Thread.sleep(50);
      assertEquals(1, server.getRequestCount(), "page 2 waits until nextPage()");
      AsyncPage<Prompt> second = first.nextPage().get(5, TimeUnit.SECONDS);
      assertEquals("p3", second.items().get(0).id());
      assertEquals(2, server.getRequestCount());
    }
  }

  @Test
  void anAsyncWalkStopsAtTheFirstFailure() {
    server.enqueue(page(1, true, "p1"));
    server.enqueue(new MockResponse().setResponseCode(404).setBody("{\"error\":\"not_found\",\"message\":\"gone\"}"));
    try (AsyncMutagent client = TestClients.asyncMutagent().serverUrl(server.url("/").toString()).build()) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> client.prompt().listPromptsAutoPaging().forEach(p -> { }).get(5, TimeUnit.SECONDS));
      assertInstanceOf(NotFoundException.class, e.getCause());
    }
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void nullParametersAreRefusedWhenThePagerIsMade() {
    try (Mutagent client = TestClients.mutagent().serverUrl(server.url("/").toString()).build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> client.prompt().listPromptsAutoPaging(null, RequestOptions.none()));
      assertTrue(e.getMessage().startsWith("params must not be null"), e.getMessage());
    }
    assertEquals(0, server.getRequestCount());
  }
}
