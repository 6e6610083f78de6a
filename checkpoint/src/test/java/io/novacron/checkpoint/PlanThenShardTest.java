package io.novacron.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.workflows.model.GpuNode;
import io.novacron.workflows.model.KnownModels;
import io.novacron.workflows.model.ParallelismPlan;
import io.novacron.workflows.model.ParallelismPlanner;
import io.novacron.workflows.model.PlanRequest;
import io.novacron.workflows.model.WeightDtype;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DeployModel chain without a cluster: inspect, plan from what was inspected, shard by the plan. */
class PlanThenShardTest {
  @TempDir Path tmp;

  @Test
  void a_plan_made_from_an_inspected_checkpoint_shards_it() throws IOException {
    CheckpointInspection checkpoint = CheckpointInspector.inspect(LlamaFixture.small().fp8Weights().write(tmp.resolve("c")));
    PlanRequest request = PlanRequest.of(checkpoint.config().shape(), checkpoint.config().weightDtype(),
        List.of(GpuNode.ofGib("n1", 2, "test", 4)));

    ParallelismPlan plan = ParallelismPlanner.plan(request);
    ShardManifest manifest = CheckpointSharder.shard(checkpoint, ShardLayout.of(plan), tmp.resolve("shards"));

    assertThat(plan.fits()).isTrue();
    assertThat(request.dtype()).isEqualTo(WeightDtype.FP8);
    assertThat(manifest.tp()).isEqualTo(plan.tp());
    assertThat(manifest.pp()).isEqualTo(plan.pp());
    assertThat(ShardReassembler.verify(tmp.resolve("shards"), checkpoint).bytes()).isEqualTo(checkpoint.totalBytes());
  }

  @Test
  void a_plan_that_does_not_fit_cannot_be_sharded() {
    ParallelismPlan plan = ParallelismPlanner.plan(PlanRequest.of(KnownModels.find("llama-3.1-405b").orElseThrow(),
        WeightDtype.BF16, List.of(GpuNode.ofGib("n1", 8, "H100", 80))));

    assertThatThrownBy(() -> ShardLayout.of(plan)).hasMessageContaining("does not fit");
  }

  @Test
  void the_stored_dtype_is_read_from_quantization_config() {
    assertThat(config(null, 0).weightDtype()).isEqualTo(WeightDtype.BF16);
    assertThat(config("fbgemm_fp8", 0).weightDtype()).isEqualTo(WeightDtype.FP8);
    assertThat(config("fp8", 0).weightDtype()).isEqualTo(WeightDtype.FP8);
    assertThat(config("awq", 4).weightDtype()).isEqualTo(WeightDtype.INT4);
    assertThat(config("gptq", 4).weightDtype()).isEqualTo(WeightDtype.INT4);
    assertThat(config("gptq", 8).weightDtype()).isEqualTo(WeightDtype.BF16);
  }

  private static ModelConfig config(String quantMethod, int bits) {
    return new ModelConfig("m", "llama", 64, 128, 2, 8, 2, 8, 96, false, "bfloat16", quantMethod, bits);
  }
}
