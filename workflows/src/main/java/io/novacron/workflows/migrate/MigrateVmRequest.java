package io.novacron.workflows.migrate;

/**
 * A VM to move.
 *
 * @param vmName the VM (its libvirt domain name)
 * @param sourceNode the node it runs on now
 * @param targetNode the node it should run on; must differ from the source
 * @param mode {@code live}, {@code warm} or {@code cold}
 * @param options tuning of a live migration; null for the defaults
 */
public record MigrateVmRequest(
    String vmName, String sourceNode, String targetNode, MigrationMode mode, MigrationOptions options) {

  /** The options with their defaults filled in. */
  public MigrationOptions resolvedOptions() {
    return (options == null ? MigrationOptions.defaults() : options).resolved();
  }
}
