package io.novacron.workflows.migrate;

/**
 * What the target agent prepares for an incoming VM.
 *
 * @param source the source's description of the VM
 * @param copyStorage whether the disk is copied during the migration (disks not shared): the
 *     target then creates an empty volume of the same size for QEMU to mirror into
 * @param precopyDisk live mode: the disk is pre-copied into that volume by the transfer engine,
 *     and the guest runs on the target from an overlay on top of it ({@link MigrationTarget#overlayPath})
 */
public record TargetRequest(MigrationSource source, boolean copyStorage, boolean precopyDisk) {
  /** A request without pre-copy. */
  public TargetRequest(MigrationSource source, boolean copyStorage) {
    this(source, copyStorage, false);
  }
}
