package io.novacron.gpu.deploy;

import io.novacron.workflows.model.deploy.ServingProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits for a serving process to be ready: its health endpoint answers 200, or, where it has none
 * (headless vLLM), it has stayed alive for {@link #HEADLESS_SETTLE}. Fails as soon as the process
 * exits.
 */
public final class HealthWaiter {
  static final Duration POLL = Duration.ofMillis(500);
  static final Duration HEADLESS_SETTLE = Duration.ofSeconds(5);

  /** Called between polls; throws to stop waiting (the activity's cancellation). */
  @FunctionalInterface
  public interface Beat {
    void beat(String state);
  }

  /** Why the process is not ready. */
  public static final class NotReady extends Exception {
    NotReady(String message) {
      super(message);
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ServingSupervisor supervisor;

  public HealthWaiter(ServingSupervisor supervisor) {
    this.supervisor = supervisor;
  }

  /** @return the health body (or "alive") once ready */
  public String await(ServingProcess process, Duration timeout, Beat beat) throws NotReady, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long started = System.nanoTime();
    String last = "starting";
    while (true) {
      if (!supervisor.alive(process.pid())) {
        throw new NotReady(process.node() + ": serving process " + process.pid() + " exited before it was ready; log "
            + process.logFile() + " ends:\n" + ServingSupervisor.tail(Path.of(process.logFile()), 2000));
      }
      if (process.healthUrl() == null) {
        if (System.nanoTime() - started >= HEADLESS_SETTLE.toNanos()) {
          return "alive";
        }
      } else {
        try {
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(process.healthUrl()))
              .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            return response.body();
          }
          last = "HTTP " + response.statusCode() + " " + response.body();
        } catch (IOException e) {
          last = "not answering (" + e.getClass().getSimpleName() + ")";
        }
      }
      if (System.nanoTime() > deadline) {
        throw new NotReady(process.node() + ": not ready after " + timeout.toSeconds() + " s (" + last + "); log "
            + process.logFile() + " ends:\n" + ServingSupervisor.tail(Path.of(process.logFile()), 2000));
      }
      beat.beat(last);
      Thread.sleep(POLL.toMillis());
    }
  }
}
