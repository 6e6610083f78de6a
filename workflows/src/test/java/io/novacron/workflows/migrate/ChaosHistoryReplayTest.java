package io.novacron.workflows.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.Replays;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays histories of real faulted migrations against today's MigrateVm: runs that were in flight
 * when a process died must go on with new code exactly as they started. The files are {@code
 * temporal workflow show -o json} of the chaos matrix's runs (docs/bench/chaos.md), one per mode
 * and fault at the switch-over, where the settlement has the most paths, plus the source agent
 * killed mid-transfer; a change that needs another command sequence must go behind
 * {@code Workflow.getVersion}. {@code cold_cancel_switch-over} is the run that ended with two
 * copies before cancelled steps were waited for ({@code StepOptions.vmStepCancellation}): it must
 * still replay on the path it took.
 */
class ChaosHistoryReplayTest {
  static final Path DIR = Path.of("src/test/resources/io/novacron/workflows/migrate/chaos");

  static Stream<String> histories() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json.gz")).sorted()
          .toList().stream();
    }
  }

  @Test
  void everyModeAndFaultHasAHistory() throws IOException {
    List<String> names = histories().toList();
    for (String mode : List.of("live", "warm", "cold")) {
      for (String fault : List.of("source-agent", "target-agent", "source-libvirtd", "target-libvirtd",
          "control-plane", "temporal", "cancel")) {
        assertThat(names).as(mode + " " + fault).contains(mode + "_" + fault + "_switch-over.json.gz");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("histories")
  void replays(String file) throws Exception {
    String json;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(DIR.resolve(file)))) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Replays.replay(WorkflowExecutionHistory.fromJson(json),
        MigrateVmWorkflowImpl.class);
  }
}
