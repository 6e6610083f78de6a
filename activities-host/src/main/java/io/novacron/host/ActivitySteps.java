package io.novacron.host;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a host agent runs an activity's work: libvirt, I/O and interruption failures become activity
 * failures (retried by Temporal unless the activity raised a non-retryable ApplicationFailure
 * itself), with the interrupt flag kept; and while the work runs, the agent heartbeats beside it.
 *
 * <p>Why every step heartbeats: Temporal learns that an agent died only from a missed heartbeat
 * or at the step's start-to-close timeout. A step that blocks in one libvirt call (a save, a
 * restore, a start) or that a move runs while the guest is down (define on the target, a receive
 * closed, an undo before the source is recovered) would otherwise leave the guest without a
 * running copy until that timeout (2 to 10 minutes) after a kill. With the beats the workflow's
 * stubs carry a 30 s heartbeat timeout ({@code StepOptions.GUEST_STEP_HEARTBEAT}) and the retry
 * on the restarted agent re-attaches to what libvirtd finished on its own.
 */
public final class ActivitySteps {
  private static final Logger log = LoggerFactory.getLogger(ActivitySteps.class);
  /** Well inside the 30 s heartbeat timeout; a step shorter than this never heartbeats. */
  static final long HEARTBEAT_EVERY_MS = 2_000;
  /** Two threads, so that one slow heartbeat RPC does not hold up every running step's beats. */
  private static final ScheduledExecutorService BEATS = Executors.newScheduledThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "activity-heartbeats");
    thread.setDaemon(true);
    return thread;
  });

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

  /** Runs {@code step}, heartbeating beside it when it runs as an activity. */
  public static <T> T call(Step<T> step) {
    ActivityExecutionContext context = currentActivity();
    ScheduledFuture<?> beats = context == null ? null : BEATS.scheduleAtFixedRate(
        () -> keepAlive(context, null), HEARTBEAT_EVERY_MS, HEARTBEAT_EVERY_MS, TimeUnit.MILLISECONDS);
    try {
      return callReportingItsOwnHeartbeats(step);
    } finally {
      if (beats != null) {
        beats.cancel(false);
      }
    }
  }

  public static void run(VoidStep step) {
    call(() -> {
      step.run();
      return null;
    });
  }

  /**
   * Runs {@code step} without beats beside it: for a step whose own heartbeats carry details that
   * others read (the live migration monitor's progress) and whose own heartbeat timeout is meant
   * to notice when it hangs.
   */
  public static <T> T callReportingItsOwnHeartbeats(Step<T> step) {
    try {
      return step.run();
    } catch (LibvirtException | IOException e) {
      throw Activity.wrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  /**
   * Heartbeats for a step that changes a guest and must finish once begun. A cancel, or a heartbeat
   * the server no longer accepts, is logged and the step goes on: its stub waits for a cancelled
   * step to complete ({@code WAIT_CANCELLATION_COMPLETED}), and stopping a save, restore, shutdown
   * or block commit half-way would leave the guest between two states for the workflow to guess at.
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

  /** The running activity's context, or null where the code runs outside an activity. */
  private static ActivityExecutionContext currentActivity() {
    try {
      return Activity.getExecutionContext();
    } catch (IllegalStateException notAnActivity) {
      return null;
    }
  }
}
