package io.novacron.workflows.resize;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.FieldError;
import io.novacron.workflows.node.VmRecord;
import org.junit.jupiter.api.Test;

class ResizePlanTest {
  private static VmRecord vm(String state) {
    return new VmRecord("web-1", "uuid-1", "node-a", state, 2, 512, 4, null, "/d/web-1.qcow2", "r");
  }

  @Test
  void a_stopped_vm_gets_the_fields_asked_for_and_keeps_the_others() {
    ResizePlan.Decision d = ResizePlan.decide(new ResizeVmRequest("web-1", 4, null, 10L), vm("shutoff"));

    assertThat(d.accepted()).isTrue();
    assertThat(d.plan().to()).isEqualTo(new VmSize(4, 512, 10));
    assertThat(d.plan().changesDomain()).isTrue();
    assertThat(d.plan().growsDisk()).isTrue();
    assertThat(d.plan().growth()).isEqualTo(new VmSize(2, 0, 6));
  }

  @Test
  void a_decrease_needs_no_capacity() {
    ResizePlan plan = ResizePlan.decide(new ResizeVmRequest("web-1", 1, 256L, null), vm("shutoff")).plan();

    assertThat(plan.growth().anyPositive()).isFalse();
    assertThat(plan.changes()).isTrue();
  }

  @Test
  void a_shrinking_disk_names_diskGib_and_the_current_size() {
    ResizePlan.Decision d = ResizePlan.decide(new ResizeVmRequest("web-1", null, null, 2L), vm("shutoff"));

    assertThat(d.refusal()).isEqualTo(ResizePlan.Refusal.INVALID);
    assertThat(d.field()).isEqualTo("diskGib");
    assertThat(d.message()).contains("4 GiB now").contains("only grows");
  }

  @Test
  void a_running_vm_is_told_to_stop_first_for_any_change() {
    for (ResizeVmRequest request : new ResizeVmRequest[] {
        new ResizeVmRequest("web-1", 4, null, null), new ResizeVmRequest("web-1", null, 1024L, null),
        new ResizeVmRequest("web-1", null, null, 8L)}) {
      ResizePlan.Decision d = ResizePlan.decide(request, vm("running"));
      assertThat(d.refusal()).as("%s", request).isEqualTo(ResizePlan.Refusal.NOT_STOPPED);
      assertThat(d.message()).contains("is running").contains("stop it first: novacron vm stop web-1");
    }
  }

  @Test
  void the_size_it_already_has_is_no_change_even_while_running() {
    ResizePlan.Decision d = ResizePlan.decide(new ResizeVmRequest("web-1", 2, 512L, 4L), vm("running"));

    assertThat(d.accepted()).isTrue();
    assertThat(d.plan().changes()).isFalse();
  }

  @Test
  void the_validator_wants_one_field_and_applies_provisioning_bounds() {
    assertThat(ResizeVmValidator.validate(new ResizeVmRequest("web-1", null, null, null)))
        .extracting(FieldError::field).containsExactly("body");
    assertThat(ResizeVmValidator.validate(new ResizeVmRequest("web-1", 65, 32L, 0L)))
        .extracting(FieldError::field).containsExactly("vcpus", "memoryMib", "diskGib");
    assertThat(ResizeVmValidator.validate(new ResizeVmRequest("Bad/Name", 2, null, null)))
        .extracting(FieldError::field).containsExactly("vmName");
    assertThat(ResizeVmValidator.validate(new ResizeVmRequest("web-1", 64, 1024L * 1024, 16L * 1024))).isEmpty();
    assertThat(ResizeVmValidator.validate(null)).extracting(FieldError::field).containsExactly("body");
  }
}
