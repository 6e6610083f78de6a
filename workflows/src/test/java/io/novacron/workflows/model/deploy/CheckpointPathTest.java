package io.novacron.workflows.model.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckpointPathTest {

  @Test
  void absolute_and_data_dir_relative_normalised_paths_pass() {
    assertThat(CheckpointPath.problem("/models/Llama-3.1-8B")).isEmpty();
    assertThat(CheckpointPath.problem("checkpoints/tiny")).isEmpty();
    assertThat(CheckpointPath.problem("/models/with space/ünïcode")).isEmpty();
  }

  @Test
  void parent_segments_are_refused_wherever_they_are() {
    assertThat(CheckpointPath.problem("../etc")).hasValueSatisfying(why -> assertThat(why).contains("'..'"));
    assertThat(CheckpointPath.problem("/models/../etc")).hasValueSatisfying(why -> assertThat(why).contains("'..'"));
    assertThat(CheckpointPath.problem("/models/..")).hasValueSatisfying(why -> assertThat(why).contains("'..'"));
  }

  @Test
  void paths_that_are_not_normalised_are_refused() {
    assertThat(CheckpointPath.problem("/models//llama")).hasValueSatisfying(why -> assertThat(why).contains("'//'"));
    assertThat(CheckpointPath.problem("/models/./llama")).hasValueSatisfying(why -> assertThat(why).contains("'.'"));
    assertThat(CheckpointPath.problem("/models/llama/")).hasValueSatisfying(why -> assertThat(why).contains("'/models/llama'"));
    assertThat(CheckpointPath.problem("/")).isPresent();
  }

  @Test
  void control_characters_blanks_and_overlong_paths_are_refused() {
    assertThat(CheckpointPath.problem("/models/\0llama")).hasValueSatisfying(why -> assertThat(why).contains("U+0000"));
    assertThat(CheckpointPath.problem("/models/llama\n")).hasValueSatisfying(why -> assertThat(why).contains("U+000A"));
    assertThat(CheckpointPath.problem(" ")).hasValueSatisfying(why -> assertThat(why).contains("required"));
    assertThat(CheckpointPath.problem(null)).isPresent();
    assertThat(CheckpointPath.problem("/" + "a".repeat(CheckpointPath.MAX_LENGTH))).hasValueSatisfying(
        why -> assertThat(why).contains("at most " + CheckpointPath.MAX_LENGTH));
    assertThat(CheckpointPath.problem("/" + "a".repeat(CheckpointPath.MAX_LENGTH - 1))).isEmpty();
  }
}
