package io.novacron.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskQueuesTest {

  @Test
  void controlQueueIsTheDocumentedName() {
    // Operators start runs with `temporal workflow start --task-queue novacron.control`.
    assertThat(TaskQueues.CONTROL).isEqualTo("novacron.control");
  }

  @Test
  void hostAndGpuQueuesArePinnedToTheNode() {
    assertThat(TaskQueues.host("node-a")).isEqualTo("host.node-a");
    assertThat(TaskQueues.gpu("node-a")).isEqualTo("gpu.node-a");
  }

  @Test
  void queuesOfDifferentNodesAndAgentsNeverCollide() {
    assertThat(TaskQueues.host("node-a"))
        .isNotEqualTo(TaskQueues.host("node-b"))
        .isNotEqualTo(TaskQueues.gpu("node-a"))
        .isNotEqualTo(TaskQueues.CONTROL);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", " ", "\t"})
  void blankNodeIsRefused(String node) {
    assertThatThrownBy(() -> TaskQueues.host(node))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node name");
    assertThatThrownBy(() -> TaskQueues.gpu(node))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node name");
  }
}
