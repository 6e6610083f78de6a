package io.novacron.control.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.control.inventory.NodeRow;
import org.junit.jupiter.api.Test;

/** The Nodes page's one-line GPU summary of the GPU agent's inventory. */
class NodesViewGpuSummaryTest {

  @Test
  void groupsGpusByModelWithTheSmallestMemoryAndTheMemoryInUse() {
    String gpus = "[{\"index\":0,\"model\":\"NVIDIA H100\",\"uuid\":\"a\",\"memoryMib\":81559,\"memoryUsedMib\":100},"
        + "{\"index\":1,\"model\":\"NVIDIA H100\",\"uuid\":\"b\",\"memoryMib\":81559,\"memoryUsedMib\":20}]";
    assertThat(NodesView.gpuSummary(node("nvidia-smi", gpus)))
        .isEqualTo("2 x NVIDIA H100, 79.6 GiB each, 120 MiB used");
  }

  @Test
  void saysNoneOrDashWhereThereIsNothingToShow() {
    assertThat(NodesView.gpuSummary(node(null, null))).isEqualTo("-");
    assertThat(NodesView.gpuSummary(node("none", "[]"))).isEqualTo("none");
    assertThat(NodesView.gpuSummary(node("nvidia-smi", "[]"))).isEqualTo("none");
    assertThat(NodesView.gpuSummary(node("nvidia-smi", "not json"))).isEqualTo("nvidia-smi not json");
  }

  @Test
  void theOpenedRowsFactsNeverShowNullOrRawJson() {
    String facts = NodesView.factsText(node(null, null));
    assertThat(facts).doesNotContain("null").doesNotContain("[]")
        .contains("GPU agent       not reporting").contains("GPUs            -").contains("images          none");
  }

  private static NodeRow node(String source, String gpus) {
    return new NodeRow("n", null, null, 1, 1, null, null, null, 0, 0, null, null, 15, null, source, null, gpus,
        null, 15, null, null, null, null, null, "{}");
  }
}
