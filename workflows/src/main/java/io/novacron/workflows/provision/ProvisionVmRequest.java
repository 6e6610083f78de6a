package io.novacron.workflows.provision;

import io.novacron.workflows.cloudinit.CloudInit;
import java.util.List;
import java.util.Map;

/**
 * What to provision. This is the JSON the REST API, the CLI and {@code temporal workflow start
 * --input} take, e.g. {@code {"name":"web-1","vcpus":1,"memoryMib":256,"diskGib":1,"image":"tiny"}}.
 *
 * @param name VM name: lower-case letters, digits and '-', starting with a letter, at most 63
 * @param vcpus virtual CPUs, 1 to 64
 * @param memoryMib memory in MiB, 64 to 1048576
 * @param diskGib size of the root disk in GiB, 1 to 16384
 * @param image base image from the node's image library; null or empty for an empty disk
 * @param node node to place on; null or empty to let placement choose
 * @param networks libvirt networks to join, one virtio NIC each, in order (e.g. {@code ["default"]});
 *     null or empty for a VM without a network. Placement picks a node that has all of them.
 * @param cloudInit user-data, SSH public keys, host name and network-config for the guest's
 *     cloud-init, written to a NoCloud seed attached as a CD-ROM; null for no seed
 * @param labels key/value labels the VM starts with ({@code LabelRules}); null for none
 */
public record ProvisionVmRequest(
    String name, int vcpus, long memoryMib, long diskGib, String image, String node, List<String> networks,
    CloudInit cloudInit, Map<String, String> labels) {

  /** A request without labels. */
  public ProvisionVmRequest(String name, int vcpus, long memoryMib, long diskGib, String image, String node,
      List<String> networks, CloudInit cloudInit) {
    this(name, vcpus, memoryMib, diskGib, image, node, networks, cloudInit, null);
  }

  /** A request without networks or cloud-init (the form of the API before they existed). */
  public ProvisionVmRequest(String name, int vcpus, long memoryMib, long diskGib, String image, String node) {
    this(name, vcpus, memoryMib, diskGib, image, node, null, null, null);
  }

  /** A request without cloud-init. */
  public ProvisionVmRequest(String name, int vcpus, long memoryMib, long diskGib, String image, String node,
      List<String> networks) {
    this(name, vcpus, memoryMib, diskGib, image, node, networks, null, null);
  }

  /** The networks asked for, never null. */
  public List<String> networksOrEmpty() {
    return networks == null ? List.of() : networks;
  }

  /** The image name, or null where the request asks for an empty disk. */
  public String imageOrNull() {
    return image == null || image.isBlank() ? null : image;
  }

  /** The requested node, or null where placement chooses. */
  public String nodeOrNull() {
    return node == null || node.isBlank() ? null : node;
  }
}
