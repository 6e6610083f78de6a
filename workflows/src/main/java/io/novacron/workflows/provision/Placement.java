package io.novacron.workflows.provision;

import io.novacron.workflows.image.ImageSource;

/**
 * A reservation of capacity on a node for one VM.
 *
 * @param reservationId the id the reservation was made under (the run id)
 * @param node the chosen node
 * @param libvirtDriver the node's libvirt driver, for the record
 * @param image where the node gets the VM's base image when it does not hold it yet (a registered
 *     image); null when it holds it or the VM has none
 */
public record Placement(String reservationId, String node, String libvirtDriver, ImageSource image) {

  /** A placement on a node that holds what the VM needs. */
  public Placement(String reservationId, String node, String libvirtDriver) {
    this(reservationId, node, libvirtDriver, null);
  }
}
