package io.novacron.workflows.host;

import io.novacron.workflows.cloudinit.CloudInit;
import java.util.List;

/**
 * A domain to define.
 *
 * @param vmName domain name
 * @param uuid domain UUID, chosen by the workflow so that a retried define finds its own domain
 * @param vcpus virtual CPUs
 * @param memoryMib memory
 * @param diskPath the root disk's path on the node
 * @param image base image, whose boot settings (kernel, initrd, command line) apply; may be null
 * @param nics network interfaces, in order; null or empty for none
 * @param cloudInit what the guest's NoCloud seed holds; null for no seed
 */
public record DomainRequest(
    String vmName, String uuid, int vcpus, long memoryMib, String diskPath, String image, List<Nic> nics,
    CloudInit cloudInit) {

  /** A domain without network interfaces or seed. */
  public DomainRequest(String vmName, String uuid, int vcpus, long memoryMib, String diskPath, String image) {
    this(vmName, uuid, vcpus, memoryMib, diskPath, image, null, null);
  }

  /** The NICs, never null. */
  public List<Nic> nicsOrEmpty() {
    return nics == null ? List.of() : nics;
  }
}
