package io.novacron.workflows.provision;

import io.novacron.workflows.cloudinit.CloudInitValidator;

import io.novacron.workflows.FieldError;
import io.novacron.workflows.labels.LabelRules;

import io.novacron.workflows.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a {@link ProvisionVmRequest}. Pure: the REST API calls it to answer 400 before starting a
 * run, and the workflow calls it again because runs also start from the Temporal CLI.
 */
public final class ProvisionVmValidator {
  public static final int MAX_VCPUS = 64;
  public static final long MIN_MEMORY_MIB = 64;
  public static final long MAX_MEMORY_MIB = 1024L * 1024;
  public static final long MAX_DISK_GIB = 16 * 1024;
  /** NICs per VM; a virtio-net-pci device each. */
  public static final int MAX_NICS = 8;

  private ProvisionVmValidator() {}

  /** All problems with the request, empty when it is valid. */
  public static List<FieldError> validate(ProvisionVmRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null) {
      errors.add(new FieldError("body", "a JSON object with name, vcpus, memoryMib and diskGib is required"));
      return errors;
    }
    if (request.name() == null || request.name().isBlank()) {
      errors.add(new FieldError("name", "is required: lower-case letters, digits and '-', starting with a letter"));
    } else if (!Names.NAME.matcher(request.name()).matches()) {
      errors.add(new FieldError("name", "'" + abbreviate(request.name())
          + "' is not allowed: use 1-63 lower-case letters, digits and '-', starting with a letter"));
    }
    vcpusError(request.vcpus()).ifPresent(errors::add);
    memoryError(request.memoryMib()).ifPresent(errors::add);
    diskError(request.diskGib()).ifPresent(errors::add);
    String image = request.imageOrNull();
    if (image != null && !Names.IMAGE.matcher(image).matches()) {
      errors.add(new FieldError("image", "'" + abbreviate(image)
          + "' is not an image name: use lower-case letters, digits, '.', '_' and '-', or leave it empty for an empty disk"));
    }
    String node = request.nodeOrNull();
    if (node != null && !Names.NAME.matcher(node).matches()) {
      errors.add(new FieldError("node", "'" + abbreviate(node)
          + "' is not a node name: use lower-case letters, digits and '-', or leave it empty to let placement choose"));
    }
    List<String> networks = request.networksOrEmpty();
    if (networks.size() > MAX_NICS) {
      errors.add(new FieldError("networks", "at most " + MAX_NICS + " networks (one NIC each), was " + networks.size()));
    }
    for (int i = 0; i < Math.min(networks.size(), MAX_NICS); i++) {
      String network = networks.get(i);
      if (network == null || !Names.NETWORK.matcher(network).matches()) {
        errors.add(new FieldError("networks[" + i + "]", "'" + abbreviate(String.valueOf(network))
            + "' is not a network name: use 1-64 letters, digits, '.', '_' and '-' (see the node's networks in GET /api/v1/nodes)"));
      }
    }
    errors.addAll(CloudInitValidator.validate(request.cloudInit(), "cloudInit"));
    errors.addAll(LabelRules.validate(request.labels(), "labels"));
    return errors;
  }

  /** The bound on vCPUs, shared with a resize: a VM never gets more than a provisioning may ask for. */
  public static Optional<FieldError> vcpusError(int vcpus) {
    return vcpus < 1 || vcpus > MAX_VCPUS
        ? Optional.of(new FieldError("vcpus", "must be between 1 and " + MAX_VCPUS + ", was " + vcpus))
        : Optional.empty();
  }

  /** The bound on memory, shared with a resize. */
  public static Optional<FieldError> memoryError(long memoryMib) {
    return memoryMib < MIN_MEMORY_MIB || memoryMib > MAX_MEMORY_MIB
        ? Optional.of(new FieldError("memoryMib", "must be between " + MIN_MEMORY_MIB + " and "
            + MAX_MEMORY_MIB + " MiB, was " + memoryMib))
        : Optional.empty();
  }

  /** The bound on the root disk, shared with a resize. */
  public static Optional<FieldError> diskError(long diskGib) {
    return diskGib < 1 || diskGib > MAX_DISK_GIB
        ? Optional.of(new FieldError("diskGib", "must be between 1 and " + MAX_DISK_GIB + " GiB, was " + diskGib))
        : Optional.empty();
  }

  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
