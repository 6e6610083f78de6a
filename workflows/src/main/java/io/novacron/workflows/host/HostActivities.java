package io.novacron.workflows.host;

import io.temporal.activity.ActivityInterface;

/**
 * What the host agent on one node does with libvirt and its storage. Every stub of this interface
 * is pinned to the node's own queue ({@code TaskQueues.host(node)}).
 *
 * <p>Every method is idempotent, so Temporal's retries are safe: a retry never makes a second disk
 * or domain, and deleting what is already gone succeeds.
 */
@ActivityInterface(namePrefix = "Host.")
public interface HostActivities {
  /**
   * Creates the VM's root disk in the agent's storage pool, backed by the image when one is named.
   * Returns the existing disk when it was already created.
   *
   * @throws io.temporal.failure.ApplicationFailure ImageNotFound when the image is not in the
   *     node's library
   */
  DiskInfo createDisk(DiskRequest request);

  /**
   * Deletes the VM's root disk, if it exists.
   *
   * @throws io.temporal.failure.ApplicationFailure CopyRunning while a domain of that name is
   *     active on the node (its disk is in use): nothing is deleted
   */
  void deleteDisk(String vmName);

  /**
   * Defines the domain (persistent, not started), its type taken from the node's libvirt
   * capabilities. Succeeds without change when a domain of that name and UUID exists.
   *
   * @throws io.temporal.failure.ApplicationFailure DomainConflict when a domain of that name with
   *     another UUID exists
   */
  DomainStatus defineDomain(DomainRequest request);

  /**
   * Stops (forcefully) and undefines the domain, only if its UUID is {@code uuid}: a compensation
   * never removes a domain it did not create. Succeeds when the domain does not exist.
   */
  void undefineDomain(String vmName, String uuid);

  /** Starts the domain; succeeds without change when it is already running. */
  DomainStatus startDomain(String vmName);

  /**
   * Powers the domain off (forcefully: the guest gets no shutdown request); succeeds without change
   * when it is not running. The domain stays defined.
   */
  DomainStatus stopDomain(String vmName);

  /**
   * Waits until the domain runs and, where its image declares a readiness line, until the guest
   * prints it on its console. Heartbeats while waiting.
   *
   * @throws io.temporal.failure.ApplicationFailure DomainNotRunning when it stops (the state it
   *     found, {@code shutoff} or {@code crashed} say, is the failure's one detail) or never gets
   *     ready (no detail)
   */
  DomainStatus verifyRunning(String vmName);

  /** The domain's current state ({@code absent} when it is not defined). */
  DomainStatus status(String vmName);

  /**
   * Redefines the stopped domain with {@code vcpus} and {@code memoryMib}, only if its UUID is
   * {@code uuid}; everything else in its definition (disks, NICs, metadata) stays as it is.
   * Succeeds without change when it already has that size.
   *
   * @throws io.temporal.failure.ApplicationFailure VmNotStopped while the domain is active,
   *     DomainConflict when the domain of that name has another UUID
   */
  DomainStatus resizeDomain(String vmName, String uuid, int vcpus, long memoryMib);

  /**
   * Grows the VM's root disk to {@code sizeGib} while its domain is stopped. Succeeds without
   * change when the disk is already that size or larger: it never shrinks.
   *
   * @throws io.temporal.failure.ApplicationFailure VmNotStopped while the domain is active
   */
  DiskInfo growDisk(String vmName, long sizeGib);
}
