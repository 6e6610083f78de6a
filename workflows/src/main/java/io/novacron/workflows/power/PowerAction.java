package io.novacron.workflows.power;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a {@link VmPowerWorkflow} run does to a VM's guest. */
public enum PowerAction {
  /** Boots the guest and waits until it runs (and, where its image says so, is ready). */
  @JsonProperty("start")
  START,
  /** Asks the guest to shut down, waits up to the grace period, then powers it off. */
  @JsonProperty("stop")
  STOP,
  /**
   * A stop (shutdown request, grace period, power-off) followed by a start and its verification:
   * a cold reboot that works for every guest, ACPI-aware or not, and proves the guest came back.
   */
  @JsonProperty("reboot")
  REBOOT;

  /** Whether the action stops the guest first (the grace period applies). */
  public boolean stops() {
    return this != START;
  }

  /** The lower-case name used in JSON, run ids and the API's paths. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
