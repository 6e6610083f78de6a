package io.novacron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code novacron vm console}: prints a VM's serial console log through
 * {@code GET /api/v1/vms/NAME/console}, and with follow keeps asking from the last offset, like
 * {@code tail -f}, until interrupted (Ctrl-C) or the VM is gone.
 */
final class ConsoleFollower {
  /** How often a follower asks for new output once it has read all there was. */
  static final Duration POLL = Duration.ofSeconds(1);

  /** Waits between polls; a test replaces it to end the follow. */
  @FunctionalInterface
  interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  private final ApiClient api;
  private final PrintStream out;
  private final PrintStream err;
  private final Pause pause;

  ConsoleFollower(ApiClient api, PrintStream out, PrintStream err, Pause pause) {
    this.api = api;
    this.out = out;
    this.err = err;
    this.pause = pause;
  }

  /**
   * Prints the log of {@code vm} from its start, or its last {@code tailBytes} bytes when that is
   * above 0. Returns 0 once all was printed (without follow), 64 for a VM the API does not know
   * or a bad request, 1 when the console cannot be read (without follow; a follower says why once
   * and keeps trying, the node may come back) or the VM went away while followed.
   */
  int print(String vm, long tailBytes, boolean follow) throws IOException, InterruptedException {
    long offset = tailBytes > 0 ? -tailBytes : 0;
    String refusal = null;
    while (true) {
      ApiClient.Response response = api.get("/api/v1/vms/" + vm + "/console?offset=" + offset);
      if (!response.ok()) {
        String detail = response.body().path("detail").asText(response.body().toString());
        if (!follow || response.status() != 409) {
          err.println("novacron: " + detail);
          return response.status() != 409 && response.status() / 100 == 4 ? NovacronCli.EXIT_USAGE
              : NovacronCli.EXIT_FAILED;
        }
        if (!detail.equals(refusal)) {
          err.println("novacron: " + detail + " (still trying)");
          refusal = detail;
        }
        pause.pause(POLL);
        continue;
      }
      refusal = null;
      JsonNode chunk = response.body();
      if (chunk.path("restarted").asBoolean()) {
        err.println(System.lineSeparator() + "novacron: the console log of " + vm
            + " was replaced (the guest started again); from its start:");
      }
      String text = chunk.path("text").asText();
      out.print(text);
      // A prompt without a newline ("login: ") must show now, not when a line ends.
      out.flush();
      offset = chunk.path("nextOffset").asLong();
      boolean atEnd = text.isEmpty() || offset >= chunk.path("size").asLong();
      if (atEnd && !follow) {
        return 0;
      }
      if (atEnd) {
        pause.pause(POLL);
      }
    }
  }
}
