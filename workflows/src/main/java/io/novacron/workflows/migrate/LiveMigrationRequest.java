package io.novacron.workflows.migrate;

/**
 * A live migration for the source agent to run and monitor.
 *
 * @param vmName domain name
 * @param targetUri the target daemon's URI, as the source daemon reaches it
 * @param destXml the domain XML for the target (its own paths); also its persistent definition
 * @param copyStorage copy non-shared disks along (libvirt NON_SHARED_DISK)
 * @param options resolved options
 * @param incrementalStorage with copyStorage: mirror only the top image of each disk (libvirt
 *     NON_SHARED_INC), because the target already holds the images below it (pre-copy)
 */
public record LiveMigrationRequest(
    String vmName, String targetUri, String destXml, boolean copyStorage, MigrationOptions options,
    boolean incrementalStorage) {
  /** A request that mirrors whole disks. */
  public LiveMigrationRequest(String vmName, String targetUri, String destXml, boolean copyStorage,
      MigrationOptions options) {
    this(vmName, targetUri, destXml, copyStorage, options, false);
  }
}
