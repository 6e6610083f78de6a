package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --watch}: plain lines per change when not on a terminal, a line redrawn with \r on one; exit 0/1. */
class RunWatcherTest {
  private static final String RUN = "migrate-web1-0a1b2c3d";

  private LoopbackControlPlane api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** Serves the records in order, one per poll, then the last one again. */
  private ApiClient serving(List<String> records) throws Exception {
    AtomicInteger poll = new AtomicInteger();
    api = new LoopbackControlPlane((method, path, body) ->
        new LoopbackControlPlane.Answer(200, records.get(Math.min(poll.getAndIncrement(), records.size() - 1))));
    return new ApiClient(api.base(), Optional.empty());
  }

  private static String run(String state, String phase, String progress) {
    return "{\"id\":\"" + RUN + "\",\"type\":\"MigrateVm\",\"subject\":\"web1\",\"state\":\"" + state
        + "\",\"phase\":\"" + phase + "\",\"node\":\"lab-a\",\"detail\":null"
        + (progress == null ? "" : ",\"progress\":" + progress) + "}";
  }

  private static String progress(long done, long total, double percent, String eta) {
    return "{\"phase\":\"copy-memory\",\"bytesProcessed\":" + done + ",\"bytesRemaining\":" + (total - done)
        + ",\"bytesTotal\":" + total + ",\"percent\":" + percent + ",\"bytesPerSecond\":117440512"
        + (eta == null ? ",\"converging\":false" : ",\"etaSeconds\":" + eta + ",\"converging\":true")
        + ",\"at\":\"2026-12-06T04:00:00Z\"}";
  }

  private static final long GIB = 1024L * 1024 * 1024;

  private static final List<String> MIGRATION = List.of(
      run("RUNNING", "prepare", null),
      run("RUNNING", "copy", progress(GIB, 4 * GIB, 25.0, "27")),
      run("RUNNING", "copy", progress(GIB + 1000, 4 * GIB, 25.0, "27")),
      run("RUNNING", "copy", progress(3 * GIB, 4 * GIB, 75.0, null)),
      run("SUCCEEDED", "done", null));

  @Test
  void withoutATerminalEachChangeIsOnePlainLine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = new RunWatcher(serving(MIGRATION), new PrintStream(out, true), false, pause -> { }).watch(RUN);

    assertThat(status).isZero();
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).doesNotContain("\r");
    String[] lines = printed.split(System.lineSeparator());
    assertThat(lines).as("the poll at the same whole percent prints nothing").hasSize(4);
    assertThat(lines[0]).contains(RUN, "RUNNING  phase=prepare", "node=lab-a");
    assertThat(lines[1]).contains("phase=copy", "copy-memory 1 GiB/4 GiB 25% 112 MiB/s ETA 27s");
    assertThat(lines[2]).contains("copy-memory 3 GiB/4 GiB 75% 112 MiB/s ETA unknown (not converging)");
    assertThat(lines[3]).contains("SUCCEEDED  phase=done");
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlace() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = new RunWatcher(serving(MIGRATION), new PrintStream(out, true), true, pause -> { }).watch(RUN);

    assertThat(status).isZero();
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).startsWith("\r[");
    // prepare, then copy redrawn three times on one line, then done on a line of its own.
    assertThat(printed.split(System.lineSeparator(), -1)).hasSize(4);
    assertThat(printed.split(System.lineSeparator())[1].split("\r", -1)).as("copy drawn 3 times").hasSize(4);
    assertThat(printed).endsWith("SUCCEEDED  phase=done  node=lab-a" + System.lineSeparator());
  }

  @Test
  void aFailedRunExitsOne() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> failing = List.of(run("RUNNING", "copy", null), run("FAILED", "copy", null));
    assertThat(new RunWatcher(serving(failing), new PrintStream(out, true), false, pause -> { }).watch(RUN))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAILED  phase=copy");
  }

  @Test
  void theCliWatchesThroughAPipeWithPlainLines() throws Exception {
    serving(List.of(run("RUNNING", "copy", null), run("SUCCEEDED", "done", null)));
    assertThat(api.cli("runs", "watch", RUN)).isZero();
    assertThat(api.out()).doesNotContain("\r").contains("RUNNING  phase=copy", "SUCCEEDED  phase=done");
  }
}
