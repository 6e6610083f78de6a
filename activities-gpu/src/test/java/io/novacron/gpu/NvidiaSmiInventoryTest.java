package io.novacron.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.workflows.node.GpuInfo;
import io.novacron.workflows.node.GpuInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaSmiInventoryTest {
  /** `nvidia-smi --query-gpu=... --format=csv,noheader,nounits` on a two-GPU H100 node. */
  static final String TWO_H100 = """
      0, NVIDIA H100 80GB HBM3, GPU-5f1a2b3c-0000-1111-2222-333344445555, 81559, 3, 550.54.15
      1, NVIDIA H100 80GB HBM3, GPU-6a7b8c9d-0000-1111-2222-333344445555, 81559, 1024, 550.54.15
      """;

  @TempDir Path dir;

  @Test
  void parsesEveryGpuWithItsMemoryAndTheDriver() {
    GpuInventory inventory = new NvidiaSmiInventory("gpu-a", "nvidia-smi", "1.0", 15).parse(TWO_H100);
    assertThat(inventory.source()).isEqualTo("nvidia-smi");
    assertThat(inventory.driverVersion()).isEqualTo("550.54.15");
    assertThat(inventory.gpus()).containsExactly(
        new GpuInfo(0, "NVIDIA H100 80GB HBM3", "GPU-5f1a2b3c-0000-1111-2222-333344445555", 81559, 3),
        new GpuInfo(1, "NVIDIA H100 80GB HBM3", "GPU-6a7b8c9d-0000-1111-2222-333344445555", 81559, 1024));
  }

  @Test
  void aNodeWithoutNvidiaSmiHasAnEmptyInventory() {
    GpuInventory inventory = new NvidiaSmiInventory("cpu-only", dir.resolve("absent").toString(), "1.0", 15).read();
    assertThat(inventory.source()).isEqualTo("none");
    assertThat(inventory.gpus()).isEmpty();
    assertThat(inventory.node()).isEqualTo("cpu-only");
  }

  @Test
  void runsTheToolWithTheQueryAndReadsItsOutput() throws Exception {
    // A stand-in executable checks the arguments the agent passes, then answers like the real tool.
    Path tool = dir.resolve("nvidia-smi");
    Files.writeString(tool, "#!/bin/sh\n"
        + "[ \"$1\" = \"" + NvidiaSmiInventory.QUERY + "\" ] && [ \"$2\" = \"--format=csv,noheader,nounits\" ] || exit 9\n"
        + "cat <<'CSV'\n" + TWO_H100 + "CSV\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    GpuInventory inventory = new NvidiaSmiInventory("gpu-a", tool.toString(), "1.0", 15).read();
    assertThat(inventory.gpus()).hasSize(2);
  }

  @Test
  void aFailingToolIsAnErrorNotAnEmptyNode() throws Exception {
    Path tool = dir.resolve("nvidia-smi");
    Files.writeString(tool, "#!/bin/sh\necho \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver\"\nexit 9\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> new NvidiaSmiInventory("gpu-a", tool.toString(), "1.0", 15).read())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("couldn't communicate");
  }

  @Test
  void anUnexpectedLineIsAClearError() {
    assertThatThrownBy(() -> new NvidiaSmiInventory("g", "nvidia-smi", "1.0", 15).parse("0, H100\n"))
        .hasMessageContaining("unexpected nvidia-smi line: 0, H100");
  }
}
