package io.novacron.host.libvirt;

/**
 * libvirt's numeric domain states, state reasons and job operations as the names NovaCron
 * reports ({@code running}, {@code postcopy}, {@code migration-out}), in one place. The numbers are
 * libvirt's public enums ({@code virDomainState}, {@code virDomain*Reason},
 * {@code virDomainJobOperation}, libvirt-domain.h), which libvirt only ever extends.
 */
public final class LibvirtStates {
  private static final String[] STATES = {
    "nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed", "pmsuspended"
  };
  private static final String[] RUNNING = {
    "unknown", "booted", "migrated", "restored", "from-snapshot", "unpaused", "migration-canceled",
    "save-canceled", "wakeup", "crashed", "postcopy", "postcopy-failed"
  };
  private static final String[] PAUSED = {
    "unknown", "user", "migration", "save", "dump", "ioerror", "watchdog", "from-snapshot",
    "shutting-down", "snapshot", "crashed", "starting-up", "postcopy", "postcopy-failed", "api-error"
  };
  private static final String[] SHUTOFF = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from-snapshot",
    "daemon"
  };
  private static final String[] OPERATIONS = {
    "unknown", "start", "save", "restore", "migration-in", "migration-out", "snapshot",
    "snapshot-revert", "dump", "backup", "snapshot-delete"
  };

  private LibvirtStates() {}

  /** {@code VIR_DOMAIN_RUNNING} (1) is {@code running}. */
  public static String state(int state) {
    return name(STATES, state);
  }

  /** The reason for {@code state} by name: running 10 is {@code postcopy}, paused 2 {@code migration}. */
  public static String reason(int state, int reason) {
    return switch (state) {
      case 1 -> name(RUNNING, reason);
      case 3 -> name(PAUSED, reason);
      case 5 -> name(SHUTOFF, reason);
      default -> reason == 0 ? "" : String.valueOf(reason);
    };
  }

  /** {@code VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT} (5) is {@code migration-out}. */
  public static String operation(long operation) {
    return operation < 0 || operation >= OPERATIONS.length ? "operation-" + operation : OPERATIONS[(int) operation];
  }

  private static String name(String[] names, int value) {
    return value >= 0 && value < names.length ? names[value] : String.valueOf(value);
  }
}
