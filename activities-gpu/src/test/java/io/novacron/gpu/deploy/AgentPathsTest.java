package io.novacron.gpu.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentPathsTest {
  @TempDir Path tmp;

  @Test
  void checkpoints_are_read_from_the_data_directory_or_a_root_only() throws IOException {
    Path roots = Files.createDirectories(tmp.resolve("models/llama"));
    Files.createDirectories(tmp.resolve("elsewhere/ckpt"));
    AgentPaths paths = new AgentPaths(tmp.resolve("data"), List.of(tmp.resolve("models")));
    Files.createDirectories(paths.dataDir().resolve("checkpoints/tiny"));

    assertThat(paths.checkpoint("checkpoints/tiny")).isEqualTo(paths.dataDir().resolve("checkpoints/tiny"));
    assertThat(paths.checkpoint(roots.toString())).isEqualTo(roots.toRealPath());
    assertThatThrownBy(() -> paths.checkpoint(tmp.resolve("elsewhere/ckpt").toString()))
        .hasMessageContaining("--checkpoint-roots");
    assertThatThrownBy(() -> paths.checkpoint("checkpoints/../../elsewhere/ckpt")).hasMessageContaining("'..'");
    assertThatThrownBy(() -> paths.checkpoint("checkpoints/none")).hasMessageContaining("is not a directory");
  }

  @Test
  void deployment_paths_stay_inside_the_data_directory() throws IOException {
    AgentPaths paths = new AgentPaths(tmp.resolve("data"), List.of());

    assertThat(paths.inData("models/llama").startsWith(paths.dataDir())).isTrue();
    assertThatThrownBy(() -> paths.inData("/etc")).hasMessageContaining("inside the GPU agent's data directory");
    assertThatThrownBy(() -> paths.inData("models/../../x")).hasMessageContaining("'..'");
  }
}
