package io.novacron.workflows.power;

/**
 * A power action on one VM. The node is not part of the request: the workflow takes it from the
 * inventory, so the action follows the VM after a migration.
 *
 * @param vmName the VM, as the inventory knows it
 * @param action start, stop or reboot
 * @param graceSeconds stop and reboot only: how long the guest may take to shut down before it is powered off
 *     ({@value #DEFAULT_GRACE_SECONDS} when null; 0 powers it off at once)
 */
public record VmPowerRequest(String vmName, PowerAction action, Integer graceSeconds) {
  public static final int DEFAULT_GRACE_SECONDS = 60;
  public static final int MAX_GRACE_SECONDS = 3_600;

  /** The grace period to apply: the request's, else the default. */
  public int resolvedGraceSeconds() {
    return graceSeconds == null ? DEFAULT_GRACE_SECONDS : graceSeconds;
  }
}
