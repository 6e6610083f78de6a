package io.novacron.workflows.power;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.FieldError;
import org.junit.jupiter.api.Test;

class VmPowerValidatorTest {
  @Test
  void a_stop_with_a_grace_period_in_range_is_valid() {
    assertThat(VmPowerValidator.validate(new VmPowerRequest("web-1", PowerAction.STOP, 0))).isEmpty();
    assertThat(VmPowerValidator.validate(new VmPowerRequest("web-1", PowerAction.STOP, 3600))).isEmpty();
    assertThat(VmPowerValidator.validate(new VmPowerRequest("web-1", PowerAction.START, null))).isEmpty();
  }

  @Test
  void every_bad_field_is_named() {
    assertThat(VmPowerValidator.validate(new VmPowerRequest("Web 1", null, null)))
        .extracting(FieldError::field).containsExactly("vmName", "action");
    assertThat(VmPowerValidator.validate(new VmPowerRequest("web-1", PowerAction.STOP, 3601)))
        .extracting(FieldError::field).containsExactly("graceSeconds");
    assertThat(VmPowerValidator.validate(new VmPowerRequest("web-1", PowerAction.START, 10)))
        .extracting(FieldError::message).containsExactly("applies to stop and reboot only; leave it out for start");
    assertThat(VmPowerValidator.validate(null)).extracting(FieldError::field).containsExactly("body");
  }
}
