package io.novacron.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which cases the matrix holds, and what their ids say. */
class ChaosCaseTest {
  @Test
  void every_mode_meets_every_fault_that_fits_it_at_every_step_it_takes() {
    List<ChaosCase> all = ChaosCase.all();
    assertThat(all).extracting(ChaosCase::id).doesNotHaveDuplicates();
    // Moves: 7 faults at 5 moments each (live-mirror has no pre-copy: 4); provision: 5 faults (no
    // target) at 4 steps; power-off at its shutdown, power-on at its start and verify.
    assertThat(all.stream().filter(ChaosCase::migrates)).hasSize(3 * 7 * 5 + 7 * 4);
    assertThat(ChaosCase.select("live-mirror")).extracting(ChaosCase::id).noneMatch(id -> id.endsWith("/precopy"));
    assertThat(ChaosCase.select("provision")).hasSize(5 * 4);
    assertThat(ChaosCase.select("power-off")).hasSize(5);
    assertThat(ChaosCase.select("power-on")).hasSize(5 * 2);
  }

  @Test
  void a_run_on_one_node_names_its_agent_and_libvirtd_without_source_or_target() {
    assertThat(ChaosCase.select("provision/agent/define")).extracting(ChaosCase::id)
        .containsExactly("provision/agent/define");
    assertThat(ChaosCase.select("provision,power-off,power-on")).extracting(ChaosCase::id)
        .noneMatch(id -> id.contains("source-") || id.contains("target-"))
        .contains("provision/libvirtd/start", "power-off/cancel/stop", "power-on/control-plane/verify");
    assertThat(ChaosCase.select("live/source-agent")).extracting(ChaosCase::id)
        .containsExactly("live/source-agent/precopy", "live/source-agent/transfer-50%",
            "live/source-agent/switch-over", "live/source-agent/verify", "live/source-agent/cleanup-source");
  }

  @Test
  void ci_kills_the_agents_and_the_control_plane_mid_move_and_each_lifecycle_runs_node_agent() {
    assertThat(ChaosCase.ci()).extracting(ChaosCase::id).contains(
        "live/source-agent/transfer-50%", "live-mirror/source-agent/transfer-50%",
        "warm/target-agent/transfer-50%", "cold/control-plane/transfer-50%",
        "provision/agent/start", "power-off/agent/stop", "power-on/agent/start");
    assertThat(ChaosCase.select("")).isEqualTo(ChaosCase.ci());
  }

  @Test
  void a_selection_that_names_no_case_says_what_ids_look_like() {
    assertThatThrownBy(() -> ChaosCase.select("reboot/agent"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ids look like");
  }
}
