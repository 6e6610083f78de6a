package io.novacron.workflows.resize;

import io.novacron.workflows.FieldError;
import io.novacron.workflows.Names;
import io.novacron.workflows.provision.ProvisionVmValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@link ResizeVmRequest}'s fields on their own, with provisioning's bounds; every bad
 * field at once, each with its fix. What the VM is now decides the rest ({@link ResizePlan}).
 */
public final class ResizeVmValidator {
  private ResizeVmValidator() {}

  public static List<FieldError> validate(ResizeVmRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null || request.vcpus() == null && request.memoryMib() == null && request.diskGib() == null) {
      errors.add(new FieldError("body", "send at least one of vcpus, memoryMib and diskGib"));
      if (request == null) {
        return errors;
      }
    }
    if (request.vmName() == null || !Names.NAME.matcher(request.vmName()).matches()) {
      errors.add(new FieldError("vmName", "name a VM: 1-63 of a-z 0-9 -, starting with a letter"));
    }
    if (request.vcpus() != null) {
      ProvisionVmValidator.vcpusError(request.vcpus()).ifPresent(errors::add);
    }
    if (request.memoryMib() != null) {
      ProvisionVmValidator.memoryError(request.memoryMib()).ifPresent(errors::add);
    }
    if (request.diskGib() != null) {
      ProvisionVmValidator.diskError(request.diskGib()).ifPresent(errors::add);
    }
    return errors;
  }
}
