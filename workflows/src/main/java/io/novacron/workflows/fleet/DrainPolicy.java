package io.novacron.workflows.fleet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a drain does with a running VM whose live move fails (the move rolled back and the VM runs
 * on the drained node still). A VM's own policy is its label {@value #LABEL}; the drain request's
 * policy applies to the others.
 */
public enum DrainPolicy {
  /** Stop starting new moves; the moves already running end by their own rules; the drain fails. */
  LIVE_OR_FAIL("live-or-fail"),
  /** Move it cold instead (the guest is shut down, moved and started: real downtime). */
  LIVE_THEN_COLD("live-then-cold"),
  /** Leave it where it is and carry on with the others; the drain says it stayed. */
  SKIP("skip");

  /** The VM label that carries a VM's own policy, e.g. {@code novacron.io/drain-policy=skip}. */
  public static final String LABEL = "novacron.io/drain-policy";

  private final String wire;

  DrainPolicy(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  /** The policy named {@code value} ({@code live-or-fail}, {@code live-then-cold}, {@code skip}). */
  @JsonCreator
  public static DrainPolicy of(String value) {
    return parse(value).orElseThrow(() -> new IllegalArgumentException(
        "unknown drain policy '" + value + "'; use live-or-fail, live-then-cold or skip"));
  }

  /** The policy named {@code value}, or empty for an unknown name. */
  public static Optional<DrainPolicy> parse(String value) {
    return Arrays.stream(values()).filter(p -> p.wire.equals(value)).findFirst();
  }

  /** The VM's own policy from its label, else {@code fallback}. An unknown label value is ignored. */
  public static DrainPolicy forVm(VmLoad vm, DrainPolicy fallback) {
    return parse(vm.labels().get(LABEL)).orElse(fallback);
  }
}
