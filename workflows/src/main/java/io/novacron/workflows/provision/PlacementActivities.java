package io.novacron.workflows.provision;

import io.temporal.activity.ActivityInterface;

/** Capacity reservations in the inventory database. Implemented by the control plane. */
@ActivityInterface(namePrefix = "Placement.")
public interface PlacementActivities {
  /**
   * Chooses a node with {@link PlacementPolicy} and reserves the VM's vCPUs, memory and disk on it,
   * atomically with respect to other reservations. Idempotent per {@code reservationId}: a retry
   * returns the reservation already made.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable, of type UnknownNode, NoCapacity
   *     or VmExists, with a message that says why
   */
  Placement reserve(String reservationId, ProvisionVmRequest request);

  /** Drops the reservation, if any. Idempotent. */
  void release(String reservationId);
}
