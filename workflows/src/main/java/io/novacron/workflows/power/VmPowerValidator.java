package io.novacron.workflows.power;

import io.novacron.workflows.Names;
import io.novacron.workflows.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Checks a {@link VmPowerRequest}'s fields; every bad field at once, each with its fix. */
public final class VmPowerValidator {
  private VmPowerValidator() {}

  public static List<FieldError> validate(VmPowerRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request == null) {
      errors.add(new FieldError("body", "send vmName, action (start, stop or reboot) and optionally graceSeconds"));
      return errors;
    }
    if (request.vmName() == null || !Names.NAME.matcher(request.vmName()).matches()) {
      errors.add(new FieldError("vmName", "name a VM: 1-63 of a-z 0-9 -, starting with a letter"));
    }
    if (request.action() == null) {
      errors.add(new FieldError("action", "must be start, stop or reboot"));
    }
    Integer grace = request.graceSeconds();
    if (grace != null) {
      if (request.action() == PowerAction.START) {
        errors.add(new FieldError("graceSeconds", "applies to stop and reboot only; leave it out for start"));
      } else if (grace < 0 || grace > VmPowerRequest.MAX_GRACE_SECONDS) {
        errors.add(new FieldError("graceSeconds", "must be between 0 and " + VmPowerRequest.MAX_GRACE_SECONDS
            + " (0 powers the guest off at once), was " + grace));
      }
    }
    return errors;
  }
}
