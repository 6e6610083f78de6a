package io.novacron.control.config;

import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;

/**
 * The orchestrator worker's life: starts polling once the application is ready, drains on
 * shutdown. A Temporal that does not answer the start (restarting, or slow under load) does not
 * take the control plane down with it: the API and dashboard keep serving (launches answer 503)
 * and the start is tried again after 1, 2, 4 ... up to 30 seconds. Before, a replica restarted
 * during a Temporal outage exited ("Application run failed"; issue 19, docs/bench/failover.md).
 */
final class OrchestratorWorker implements SmartLifecycle {
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(OrchestratorWorker.class);

  private final WorkerFactory factory;
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "temporal-worker-start");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean running;
  private boolean stopped;
  private Duration nextRetry = FIRST_RETRY;
  private int failedStarts;

  OrchestratorWorker(WorkerFactory factory) {
    this.factory = factory;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void onReady() {
    start();
  }

  @Override
  public synchronized void start() {
    if (running || stopped) {
      return;
    }
    try {
      factory.start();
      running = true;
      if (failedStarts > 0) {
        log.info("orchestrator worker polling after {} failed start(s)", failedStarts);
      }
    } catch (RuntimeException e) {
      failedStarts++;
      log.warn("Temporal did not answer the orchestrator worker's start ({}); trying again in {} s",
          e.getMessage(), nextRetry.toSeconds());
      retries.schedule(this::start, nextRetry.toMillis(), TimeUnit.MILLISECONDS);
      nextRetry = nextRetry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextRetry.multipliedBy(2);
    }
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    retries.shutdownNow();
    if (running) {
      factory.shutdown();
      factory.awaitTermination(10, TimeUnit.SECONDS);
      running = false;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public boolean isAutoStartup() {
    // Started on ApplicationReadyEvent, after Flyway and the web server, not during refresh.
    return false;
  }

  /** Starts that failed so far. */
  synchronized int failedStarts() {
    return failedStarts;
  }
}
