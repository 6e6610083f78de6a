package io.novacron.workflows.migrate;

/**
 * A finished migration.
 *
 * @param vmName the VM
 * @param sourceNode where it ran
 * @param targetNode where it runs now
 * @param elapsedMs wall time of the transfer, as the source's monitor saw it
 * @param downtimeMs the guest's pause at switch-over as libvirt measured it; -1 when unknown
 * @param bytesProcessed bytes the migration processed (memory and disk; uncompressed)
 * @param iterations memory-copy iterations
 * @param forced whether the guest was paused to force completion
 * @param bytesOnWire what the transfer engine's connections carried (compressed, both directions):
 *     warm (state file and disk), cold (disk) and live's disk pre-copy; -1 when the engine moved
 *     nothing (live without pre-copy, where libvirt's own counters are all there is)
 */
public record MigrateVmResult(
    String vmName, String sourceNode, String targetNode, long elapsedMs, long downtimeMs,
    long bytesProcessed, long iterations, boolean forced, long bytesOnWire) {

  /** A live or cold move's result: no transfer-engine count. */
  public MigrateVmResult(String vmName, String sourceNode, String targetNode, long elapsedMs,
      long downtimeMs, long bytesProcessed, long iterations, boolean forced) {
    this(vmName, sourceNode, targetNode, elapsedMs, downtimeMs, bytesProcessed, iterations, forced, -1);
  }
}
