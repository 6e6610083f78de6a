package io.novacron.gpu.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.workflows.model.deploy.LaunchRequest;
import io.novacron.workflows.model.deploy.ServingProcess;
import io.novacron.workflows.model.deploy.ServingRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes ({@code sleep}) launched, recognised by revision and stopped by pid file. */
class ServingSupervisorTest {
  @TempDir Path tmp;
  ServingSupervisor supervisor;

  static LaunchRequest launch(String revision, String template) {
    return new LaunchRequest("demo", revision, "gpu-a", 0, ServingRuntime.VLLM, template, "models/demo", List.of(0),
        List.of(0), 1, 1, 1, 0, "gpu-a", 29500, 0, 1, "demo", null);
  }

  @AfterEach
  void stopAll() throws IOException {
    if (supervisor != null) {
      supervisor.stop("demo", null);
    }
  }

  @Test
  void a_run_stops_only_its_own_revision_and_a_second_run_is_refused_while_the_first_serves() throws IOException {
    supervisor = new ServingSupervisor(tmp, LoaderCommand.current());
    Path dir = Files.createDirectories(tmp.resolve("models/demo"));

    ServingProcess first = supervisor.launch(launch("run-1", "sleep 300 {port}"), dir, false);
    assertThat(supervisor.alive(first.pid())).isTrue();
    assertThat(supervisor.launch(launch("run-1", "sleep 300 {port}"), dir, false).pid())
        .as("a retried launch finds the running process").isEqualTo(first.pid());
    assertThatThrownBy(() -> supervisor.launch(launch("run-2", "sleep 300 {port}"), dir, false))
        .isInstanceOf(ServingSupervisor.Busy.class).hasMessageContaining("for run run-1");

    assertThat(supervisor.stop("demo", "run-2")).isZero();
    assertThat(supervisor.alive(first.pid())).isTrue();
    assertThat(supervisor.stop("demo", "run-1")).isEqualTo(1);
    assertThat(supervisor.alive(first.pid())).isFalse();
    assertThat(supervisor.stop("demo", "run-1")).as("idempotent").isZero();
  }

  @Test
  void output_goes_to_the_log_and_a_command_that_cannot_start_is_an_error() throws Exception {
    supervisor = new ServingSupervisor(tmp, LoaderCommand.current());
    Path dir = Files.createDirectories(tmp.resolve("models/demo"));

    ServingProcess echo = supervisor.launch(launch("run-1", "echo serving {dir}"), dir, false);
    ProcessHandle.of(echo.pid()).ifPresent(p -> p.onExit().join());
    assertThat(ServingSupervisor.tail(Path.of(echo.logFile()), 200)).isEqualTo("serving " + dir);
    supervisor.stop("demo", null);

    assertThatThrownBy(() -> supervisor.launch(launch("run-2", "/no/such/vllm serve"), dir, false))
        .isInstanceOf(IOException.class);
  }
}
