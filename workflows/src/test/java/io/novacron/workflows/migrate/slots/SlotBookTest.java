package io.novacron.workflows.migrate.slots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlotBookTest {
  private static final SlotLimits DEFAULTS = SlotLimits.defaults();

  @Test
  void defaults_are_two_per_source_node_and_five_in_the_cluster() {
    assertThat(DEFAULTS).isEqualTo(new SlotLimits(2, 5));
  }

  @Test
  void a_third_migration_from_one_node_waits() {
    SlotBook.Granted g = SlotBook.empty(DEFAULTS)
        .request(r("m1", "a")).request(r("m2", "a")).request(r("m3", "a")).grant();

    assertThat(ids(g.granted())).containsExactly("m1", "m2");
    assertThat(ids(g.book().queue())).containsExactly("m3");
  }

  @Test
  void the_cluster_limit_holds_across_nodes() {
    SlotBook book = SlotBook.empty(DEFAULTS);
    for (String n : List.of("a", "b", "c")) {
      book = book.request(r("x-" + n, n)).request(r("y-" + n, n));
    }
    SlotBook.Granted g = book.grant();

    assertThat(ids(g.granted())).containsExactly("x-a", "y-a", "x-b", "y-b", "x-c");
    assertThat(ids(g.book().queue())).containsExactly("y-c");
  }

  @Test
  void a_full_source_does_not_block_a_later_request_from_another_node() {
    SlotBook book = SlotBook.empty(DEFAULTS).request(r("m1", "a")).request(r("m2", "a")).grant().book()
        .request(r("m3", "a")).request(r("m4", "b"));

    SlotBook.Granted g = book.grant();

    assertThat(ids(g.granted())).containsExactly("m4");
    assertThat(ids(g.book().queue())).containsExactly("m3");
  }

  @Test
  void a_freed_slot_goes_to_the_longest_waiting_request_of_that_node() {
    SlotBook book = SlotBook.empty(new SlotLimits(1, 5))
        .request(r("m1", "a")).grant().book()
        .request(r("m2", "a")).request(r("m3", "a"));

    SlotBook.Granted g = book.release("m1").grant();

    assertThat(ids(g.granted())).containsExactly("m2");
    assertThat(ids(g.book().holders())).containsExactly("m2");
    assertThat(ids(g.book().queue())).containsExactly("m3");
  }

  @Test
  void a_repeated_request_keeps_its_place_and_a_released_waiter_leaves_the_queue() {
    SlotBook book = SlotBook.empty(new SlotLimits(1, 5)).request(r("m1", "a")).grant().book()
        .request(r("m2", "a")).request(r("m3", "a")).request(r("m2", "a")).request(r("m1", "a"));

    assertThat(ids(book.holders())).containsExactly("m1");
    assertThat(ids(book.queue())).containsExactly("m2", "m3");
    assertThat(ids(book.release("m2").queue())).containsExactly("m3");
    assertThat(book.release("nobody")).isEqualTo(book);
  }

  @Test
  void the_newest_limits_a_request_carries_apply() {
    SlotBook book = SlotBook.empty(new SlotLimits(1, 1))
        .request(new SlotRequest("m1", "a", null)).request(new SlotRequest("m2", "a", new SlotLimits(2, 5)));

    assertThat(book.limits()).isEqualTo(new SlotLimits(2, 5));
    assertThat(ids(book.grant().granted())).containsExactly("m1", "m2");
  }

  @Test
  void limits_below_one_are_refused_naming_the_field() {
    assertThatThrownBy(() -> new SlotLimits(0, 5)).hasMessageContaining("perSourceNode");
    assertThatThrownBy(() -> new SlotLimits(2, 0)).hasMessageContaining("perCluster");
  }

  private static SlotRequest r(String id, String node) {
    return new SlotRequest(id, node, null);
  }

  private static List<String> ids(List<SlotRequest> requests) {
    return requests.stream().map(SlotRequest::runId).toList();
  }
}
