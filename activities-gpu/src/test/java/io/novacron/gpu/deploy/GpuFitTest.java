package io.novacron.gpu.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.workflows.model.deploy.LaunchRequest;
import io.novacron.workflows.model.deploy.ServingRuntime;
import io.novacron.workflows.node.GpuInfo;
import io.novacron.workflows.node.GpuInventory;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuFitTest {
  static final long GIB = 1L << 30;

  static LaunchRequest launch(ServingRuntime runtime, List<Integer> gpus, long needBytes) {
    return new LaunchRequest("llama", "deploy-1", "gpu-a", 0, runtime, "vllm serve {dir}", "models/llama", List.of(0, 1), gpus,
        2, 1, 1, 0, "gpu-a", 29500, 8000, needBytes, "llama", null);
  }

  static GpuInventory twoGpus(long usedOnSecondMib) {
    return new GpuInventory("gpu-a", "nvidia-smi", "550", List.of(
        new GpuInfo(0, "H100", "u0", 81559, 0), new GpuInfo(1, "H100", "u1", 81559, usedOnSecondMib)), "t", 15);
  }

  @Test
  void free_memory_on_every_planned_gpu_is_enough() {
    assertThat(GpuFit.check(twoGpus(0), launch(ServingRuntime.VLLM, List.of(0, 1), 60 * GIB)).gpuPresent()).isTrue();
  }

  @Test
  void memory_taken_by_another_process_refuses_the_launch_naming_the_gpu() {
    assertThatThrownBy(() -> GpuFit.check(twoGpus(40_000), launch(ServingRuntime.VLLM, List.of(0, 1), 60 * GIB)))
        .isInstanceOf(GpuFit.Unavailable.class)
        .hasMessageContaining("GPU 1: 40.6 GiB free, plan needs 60.0 GiB");
  }

  @Test
  void without_gpus_only_the_reference_loader_may_run() {
    GpuInventory none = new GpuInventory("gpu-a", "none", null, List.of(), "t", 15);

    assertThat(GpuFit.check(none, launch(ServingRuntime.REFERENCE, List.of(0), GIB)).gpuPresent()).isFalse();
    assertThatThrownBy(() -> GpuFit.check(none, launch(ServingRuntime.VLLM, List.of(0), GIB)))
        .hasMessageContaining("has no GPU").hasMessageContaining("REFERENCE");
  }
}
