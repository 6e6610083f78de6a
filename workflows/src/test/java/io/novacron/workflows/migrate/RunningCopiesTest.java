package io.novacron.workflows.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunningCopiesTest {
  @Test
  void one_running_copy_names_its_node() {
    assertThat(RunningCopies.describe("web1", "a", "running", "b", "absent"))
        .isEqualTo("exactly one running copy, on a");
    assertThat(RunningCopies.describe("web1", "a", "shut off", "b", "running"))
        .isEqualTo("exactly one running copy, on b");
  }

  @Test
  void none_or_two_running_copies_call_for_attention_with_both_states() {
    assertThat(RunningCopies.describe("web1", "a", "running", "b", "running"))
        .startsWith("ATTENTION: two running copies of web1").contains("a: running, b: running");
    assertThat(RunningCopies.describe("web1", "a", "paused", "b", "unknown (timeout)"))
        .startsWith("ATTENTION: no running copy of web1").contains("a: paused", "b: unknown (timeout)");
  }
}
