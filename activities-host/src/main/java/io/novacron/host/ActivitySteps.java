package io.novacron.host;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where an activity's libvirt, I/O and interruption failures become activity
 * failures (retried by Temporal unless the activity raised a non-retryable ApplicationFailure
 * itself), with the interrupt flag kept.
 */
public final class ActivitySteps {
  private static final Logger log = LoggerFactory.getLogger(ActivitySteps.class);
  /** Well inside the 30 s heartbeat timeout of the stubs that use {@link #heartbeating}. */
  static final long HEARTBEAT_EVERY_MS = 2_000;

  /** An activity's work, throwing what libvirt, files and processes throw. */
  @FunctionalInterface
  public interface Step<T> {
    T run() throws LibvirtException, IOException, InterruptedException;
  }

  /** The same, without a result. */
  @FunctionalInterface
  public interface VoidStep {
    void run() throws LibvirtException, IOException, InterruptedException;
  }

  private ActivitySteps() {}

  public static <T> T call(Step<T> step) {
    try {
      return step.run();
    } catch (LibvirtException | IOException e) {
      throw Activity.wrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  public static void run(VoidStep step) {
    call(() -> {
      step.run();
      return null;
    });
  }

  /**
   * Runs a step that blocks in one libvirt call (a save, a restore) while another thread
   * heartbeats every {@value #HEARTBEAT_EVERY_MS} ms, so that an agent killed half-way is noticed
   * within the stub's heartbeat timeout instead of its start-to-close timeout, and the retry
   * re-attaches to what libvirtd finished on its own. The step is never cut short: see
   * {@link #keepAlive}.
   */
  public static <T> T heartbeating(Step<T> step) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "heartbeat-" + context.getInfo().getActivityType());
      thread.setDaemon(true);
      return thread;
    });
    beats.scheduleAtFixedRate(() -> keepAlive(context, null), 0, HEARTBEAT_EVERY_MS, TimeUnit.MILLISECONDS);
    try {
      return call(step);
    } finally {
      // Not shutdownNow: interrupting a heartbeat in flight only makes gRPC log a failure.
      beats.shutdown();
    }
  }

  /**
   * Heartbeats for a step that changes a guest and must finish once begun. A cancel, or a heartbeat
   * the server no longer accepts, is logged and the step goes on: its stub waits for a cancelled
   * step to complete ({@code WAIT_CANCELLATION_COMPLETED}), and stopping a save, restore or
   * shutdown half-way would leave the guest between two states for the workflow to guess at.
   */
  public static void keepAlive(ActivityExecutionContext context, Object details) {
    try {
      context.heartbeat(details);
    } catch (ActivityCompletionException e) {
      log.info("{} goes on to its end after {}", context.getInfo().getActivityType(), e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      log.warn("heartbeat of {} failed: {}", context.getInfo().getActivityType(), e.toString());
    }
  }
}
