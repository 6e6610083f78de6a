package io.novacron.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code novacron vm console} against a loopback server that serves a log as the control plane does. */
class VmConsoleCommandTest {
  private LoopbackControlPlane api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static LoopbackControlPlane.Answer chunk(String text, long offset, long next, long size, boolean restarted) {
    return new LoopbackControlPlane.Answer(200, "{\"vm\":\"web1\",\"node\":\"a\",\"text\":\"" + text.replace("\n", "\\n")
        + "\",\"offset\":" + offset + ",\"nextOffset\":" + next + ",\"size\":" + size
        + ",\"truncatedBefore\":false,\"restarted\":" + restarted + "}");
  }

  @Test
  void printsTheWholeLogInChunksAndStops() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> switch (path) {
      case "/api/v1/vms/web1/console?offset=0" -> chunk("boot\n", 0, 5, 9, false);
      case "/api/v1/vms/web1/console?offset=5" -> chunk("up\n", 5, 8, 9, false);
      // The log's last byte starts a character not yet complete: nothing more to print now.
      default -> chunk("", 8, 8, 9, false);
    });

    assertThat(api.cli("vm", "console", "web1")).isZero();

    assertThat(api.out()).isEqualTo("boot\nup\n");
    assertThat(api.requests()).containsExactly("GET /api/v1/vms/web1/console?offset=0 ",
        "GET /api/v1/vms/web1/console?offset=5 ", "GET /api/v1/vms/web1/console?offset=8 ");
  }

  @Test
  void tailBytesAsksForTheLogsEnd() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> chunk("login: ", 93, 100, 100, false));

    assertThat(api.cli("vm", "console", "web1", "--tail-bytes=7")).isZero();

    assertThat(api.requests()).containsExactly("GET /api/v1/vms/web1/console?offset=-7 ");
    assertThat(api.out()).isEqualTo("login: ");
  }

  @Test
  void followKeepsAskingFromTheLastOffsetAndSaysWhenTheLogWasReplaced() throws Exception {
    List<String> answers = new ArrayList<>();
    api = new LoopbackControlPlane((method, path, body) -> {
      answers.add(path);
      return switch (answers.size()) {
        case 1 -> chunk("boot\n", 0, 5, 5, false);
        case 2 -> chunk("", 5, 5, 5, false);
        case 3 -> new LoopbackControlPlane.Answer(409, "{\"detail\":\"the host agent of node 'a' did not take the read\"}");
        case 4 -> chunk("up\n", 5, 8, 8, false);
        default -> chunk("again\n", 0, 6, 6, true);
      };
    });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int[] pauses = {0};
    ConsoleFollower follower = new ConsoleFollower(new ApiClient(api.base(), Optional.empty()),
        new PrintStream(out, true), new PrintStream(err, true), pause -> {
          // Ctrl-C, in effect, at the fifth wait: after the replaced log was printed.
          if (++pauses[0] == 5) {
            throw new InterruptedException("Ctrl-C");
          }
        });

    assertThatThrownBy(() -> follower.print("web1", 0, true)).isInstanceOf(InterruptedException.class);

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("boot\nup\nagain\n");
    assertThat(api.requests()).containsExactly("GET /api/v1/vms/web1/console?offset=0 ",
        "GET /api/v1/vms/web1/console?offset=5 ", "GET /api/v1/vms/web1/console?offset=5 ",
        "GET /api/v1/vms/web1/console?offset=5 ", "GET /api/v1/vms/web1/console?offset=8 ");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("did not take the read (still trying)")
        .contains("was replaced (the guest started again)");
  }

  @Test
  void misuseAndRefusalsAreNamed() throws Exception {
    api = new LoopbackControlPlane((method, path, body) -> path.contains("/ghost/")
        ? new LoopbackControlPlane.Answer(404, "{\"detail\":\"no VM named 'ghost'\"}")
        : new LoopbackControlPlane.Answer(409, "{\"detail\":\"the host agent of node 'b' is stale\"}"));

    assertThat(api.cli("vm", "console", "web1", "--tail-bytes=0")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("vm", "console", "web1", "--lines=5")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("vm", "console")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.requests()).isEmpty();
    assertThat(api.cli("vm", "console", "ghost")).isEqualTo(NovacronCli.EXIT_USAGE);
    assertThat(api.cli("vm", "console", "web1")).isEqualTo(NovacronCli.EXIT_FAILED);
    assertThat(api.err()).contains("--tail-bytes must be a number of bytes above 0", "Unknown option: '--lines=5'",
        "Missing required parameter: 'NAME'", "no VM named 'ghost'", "is stale");
  }
}
