package io.novacron.workflows.migrate;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Everything one node knows about a VM at one moment, read from libvirt and the agent's data
 * directory: what a migration must know before it may remove anything (docs/migration.md, "Where
 * the VM runs").
 *
 * @param node the node that answered
 * @param vmName the VM
 * @param uuid the domain's UUID; null when no domain of that name is defined here
 * @param state libvirt's state in lower case ({@code running}, {@code paused}, {@code shutoff},
 *     {@code crashed}, ...) or {@code absent}
 * @param reason libvirt's reason for that state in lower case ({@code migrated}, {@code migration},
 *     {@code postcopy}, {@code postcopy-failed}, {@code user}, {@code saved}, ...); empty when
 *     absent or unknown
 * @param job the domain job libvirt runs for it now: {@code migration-out}, {@code migration-in},
 *     {@code save}, {@code restore} or another operation's name; null when none
 * @param files the VM's files in this agent's data directory (disk, overlay, saved state,
 *     console log): what a removal would delete
 */
public record DomainProbe(
    String node, String vmName, String uuid, String state, String reason, String job,
    VmFiles files) {
  public static final String ABSENT = "absent";
  public static final String MIGRATION_OUT = "migration-out";
  public static final String MIGRATION_IN = "migration-in";

  /** The guest executes: {@code running} in any of its reasons, post-copy included. */
  @JsonIgnore
  public boolean running() {
    return "running".equals(state);
  }

  @JsonIgnore
  public boolean paused() {
    return "paused".equals(state);
  }

  /** No domain of that name is defined on the node. */
  @JsonIgnore
  public boolean absent() {
    return ABSENT.equals(state);
  }

  /** libvirt runs a job for the domain: its state may change any moment without us. */
  @JsonIgnore
  public boolean busy() {
    return job != null;
  }

  /**
   * libvirt is starting the domain here ({@code paused (starting-up)}, which a start shows without a
   * job): in a moment it runs or fails to, so it is neither a stopped copy nor one to remove.
   */
  @JsonIgnore
  public boolean startingUp() {
    return paused() && "starting-up".equals(reason);
  }

  /** The state may change any moment without us: libvirt runs a job for it or is starting it. */
  @JsonIgnore
  public boolean inTransition() {
    return busy() || startingUp();
  }

  /**
   * The copy is half of a post-copy migration: neither side holds the whole memory, so neither may
   * be resumed elsewhere or removed while the other is not whole.
   */
  @JsonIgnore
  public boolean postCopy() {
    return reason != null && reason.startsWith("postcopy");
  }

  /** Something of the VM is here: a domain or one of its files. */
  @JsonIgnore
  public boolean hasTraces() {
    return !absent() || (files != null && !files.isEmpty());
  }

  /** {@code running}, {@code paused (migration)}, {@code absent}: for run records and headlines. */
  @JsonIgnore
  public String describe() {
    String text = state + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
    return job == null ? text : text + ", libvirt job " + job;
  }
}
