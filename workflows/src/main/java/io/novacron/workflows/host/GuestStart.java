package io.novacron.workflows.host;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.run.RunTracker;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.Set;

/**
 * Starts a guest and waits until it runs, for the runs that bring a VM up on its node
 * (provisioning, power-on). Workflow code only.
 *
 * <p>A guest that stopped during its boot (the verify found it shut off or crashed) is started
 * again, {@value #RESTARTS} times at most: a libvirtd restarted in the middle of a start kills the
 * half-started QEMU when it reconnects, and the chaos matrix's provision/libvirtd/start failed a
 * provisioning that way, where a second start boots the guest. Neither run has another copy of the
 * VM that a second start could double. A guest that runs but never prints its readiness line is
 * not started again: a restart would not change that.
 */
public final class GuestStart {
  /** Starts after the first one before the run gives up on a guest that keeps stopping. */
  public static final int RESTARTS = 2;
  private static final Set<String> STOPPED = Set.of("shutoff", "crashed");

  private GuestStart() {}

  /**
   * Enters phase {@code start} (with {@code startDetail}), starts the guest with {@code steps},
   * enters {@code verify} and waits with {@code waiting}; the guest's status once it runs.
   *
   * @throws ActivityFailure the start's failure, or the verify's once the restarts are spent
   */
  public static DomainStatus startAndVerify(HostActivities steps, HostActivities waiting, String vm, RunTracker run,
      String startDetail) {
    String detail = startDetail;
    for (int restart = 0; ; restart++) {
      run.enter("start", detail);
      steps.startDomain(vm);
      run.enter("verify");
      try {
        return waiting.verifyRunning(vm);
      } catch (ActivityFailure e) {
        String stopped = stoppedState(e);
        // Runs recorded before the restart rule failed here: their histories replay as they ran.
        if (stopped == null || restart >= RESTARTS
            || Workflow.getVersion("restart-stopped-boot", Workflow.DEFAULT_VERSION, 1) < 1) {
          throw e;
        }
        detail = "again (" + (restart + 1) + " of " + RESTARTS + "): " + vm + " stopped during its boot ("
            + stopped + ")";
      }
    }
  }

  /** The state a verify found the guest stopped in (its failure's detail), or null for any other failure. */
  static String stoppedState(ActivityFailure failure) {
    if (failure.getCause() instanceof ApplicationFailure app
        && FailureTypes.DOMAIN_NOT_RUNNING.equals(app.getType()) && app.getDetails().getSize() > 0) {
      String state = app.getDetails().get(String.class);
      return STOPPED.contains(state) ? state : null;
    }
    return null;
  }
}
