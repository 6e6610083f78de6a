package io.novacron.host;

import io.temporal.activity.Activity;
import java.io.IOException;
import org.libvirt.LibvirtException;

/**
 * The one place where an activity's libvirt, I/O and interruption failures become activity
 * failures (retried by Temporal unless the activity raised a non-retryable ApplicationFailure
 * itself), with the interrupt flag kept.
 */
public final class ActivitySteps {
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
}
