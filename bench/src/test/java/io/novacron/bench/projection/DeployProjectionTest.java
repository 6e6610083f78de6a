package io.novacron.bench.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeployProjectionTest {
  static final double GB = 1e9;
  static final DeployProjection.CoreRates RATES = new DeployProjection.CoreRates(1.5 * GB, 1.0 * GB, 0.5 * GB);
  static final DeployProjection.Cluster CLUSTER =
      new DeployProjection.Cluster(2, 32, 10 * GB, 5 * GB, 3.125 * GB, 4, 1, 1, 2, 2);

  @Test
  void each_stage_takes_the_time_of_its_slowest_resource() {
    List<DeployProjection.Stage> stages = DeployProjection.project(800 * GB, RATES, CLUSTER);

    assertThat(stages).extracting(DeployProjection.Stage::name).hasSize(6);
    // Shard: disk 800/10 + 800/5 = 240 s against CPU 800/(1.0 x 4) = 200 s.
    assertThat(stages.get(0).seconds()).isCloseTo(240, within(1e-9));
    assertThat(stages.get(0).boundBy()).isEqualTo("disk");
    // Hash the shard set one file at a time: 800 / 1.5 = 533 s of one core.
    assertThat(stages.get(1).seconds()).isCloseTo(800 / 1.5, within(1e-9));
    assertThat(stages.get(1).boundBy()).isEqualTo("CPU");
    // Send 400 GB: link 128 s, engine 400 / (0.5 x 2) = 400 s.
    assertThat(stages.get(2).seconds()).isCloseTo(400, within(1e-9));
    assertThat(stages.get(2).boundBy()).isEqualTo("engine CPU");
    // Commit: the receiver hashes each file once all of it is in, one file at a time: 400 / 1.5.
    assertThat(stages.get(3).seconds()).isCloseTo(400 / 1.5, within(1e-9));
    assertThat(stages.get(3).boundBy()).isEqualTo("CPU");
    // Verify: 2 passes x 400 GB / 1.5 GB/s.
    assertThat(stages.get(4).seconds()).isCloseTo(2 * 400 / 1.5, within(1e-9));
    // Load: 400 GB at 10 GB/s.
    assertThat(stages.get(5).seconds()).isCloseTo(40, within(1e-9));
    assertThat(DeployProjection.total(stages))
        .isCloseTo(240 + 800 / 1.5 + 400 + 400 / 1.5 + 800 / 1.5 + 40, within(1e-6));
  }

  @Test
  void parallel_files_and_fewer_passes_move_the_bound_to_the_link_and_disks() {
    List<DeployProjection.Stage> stages = DeployProjection.project(800 * GB, RATES, CLUSTER.with(16, 8, 8, 2, 0));

    assertThat(stages.get(2).boundBy()).isEqualTo("source link");
    assertThat(stages.get(2).seconds()).isCloseTo(400 / 3.125, within(1e-9));
    // 8 commits side by side: 400 / (1.5 x 8) = 33 s of CPU, under the disk's 40 s.
    assertThat(stages.get(3).seconds()).isCloseTo(40, within(1e-9));
    assertThat(stages.get(3).boundBy()).isEqualTo("disk");
    assertThat(stages.get(4).seconds()).isZero();
    assertThat(DeployProjection.longest(stages).name()).isEqualTo("shard on the source node");
  }

  @Test
  void hashing_while_sharding_drops_the_pass_its_cpu_being_in_the_sharders_rate() {
    DeployProjection.Cluster inline = CLUSTER.with(4, 8, 8, 2, 0).hashingWhileSharding();
    List<DeployProjection.Stage> stages = DeployProjection.project(800 * GB, RATES, inline);

    assertThat(stages.get(1).seconds()).isZero();
    // The shard stage is as without: disk 240 s against CPU 800 / (1.0 x 4) = 200 s.
    assertThat(stages.get(0).seconds()).isCloseTo(240, within(1e-9));
    assertThat(stages.get(0).boundBy()).isEqualTo("disk");
  }

  @Test
  void hashing_ahead_on_receipt_leaves_the_commit_only_the_last_window() {
    DeployProjection.Cluster ahead = CLUSTER.with(16, 8, 8, 2, 0).hashingAheadOnReceipt();
    List<DeployProjection.Stage> stages = DeployProjection.project(800 * GB, RATES, ahead);

    // 8 files x 32 MiB / (1.5 GB/s x 8): 22 ms, instead of 40 s of re-reading 400 GB.
    assertThat(stages.get(3).seconds()).isCloseTo((32 << 20) / (1.5 * GB), within(1e-9));
    assertThat(stages.get(3).name()).contains("hashed ahead");
    assertThat(DeployProjection.total(stages))
        .isCloseTo(240 + 80 + 128 + (32 << 20) / (1.5 * GB) + 0 + 40, within(1e-6));
  }

  @Test
  void overlapped_files_cost_the_slowest_stage_plus_a_files_share_of_the_others_then_the_load() {
    List<DeployProjection.Stage> stages = List.of(new DeployProjection.Stage("a", 240, "disk", ""),
        new DeployProjection.Stage("b", 80, "disk", ""), new DeployProjection.Stage("c", 128, "link", ""),
        new DeployProjection.Stage("load", 40, "disk", ""));

    assertThat(DeployProjection.overlapped(stages, 8, 1)).isCloseTo(240 + (80 + 128) / 8.0 + 40, within(1e-9));
    // One file: nothing overlaps, the stages add up.
    assertThat(DeployProjection.overlapped(stages, 1, 1)).isCloseTo(DeployProjection.total(stages), within(1e-9));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeployProjection.overlapped(stages, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("files: 0");
  }

  @Test
  void one_node_sends_nothing() {
    List<DeployProjection.Stage> stages = DeployProjection.project(100 * GB, RATES,
        new DeployProjection.Cluster(1, 8, 10 * GB, 5 * GB, 3.125 * GB, 4, 1, 1, 2, 2));
    assertThat(stages).noneMatch(s -> s.name().startsWith("send"));
  }
}
