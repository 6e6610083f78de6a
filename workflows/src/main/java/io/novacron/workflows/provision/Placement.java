package io.novacron.workflows.provision;

/**
 * A reservation of capacity on a node for one VM.
 *
 * @param reservationId the id the reservation was made under (the run id)
 * @param node the chosen node
 * @param libvirtDriver the node's libvirt driver, for the record
 */
public record Placement(String reservationId, String node, String libvirtDriver) {}
