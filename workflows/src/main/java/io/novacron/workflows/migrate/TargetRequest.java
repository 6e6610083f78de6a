package io.novacron.workflows.migrate;

/**
 * What the target agent prepares for an incoming VM.
 *
 * @param source the source's description of the VM
 * @param copyStorage whether the disk is copied during the migration (disks not shared): the
 *     target then creates an empty volume of the same size for QEMU to mirror into
 */
public record TargetRequest(MigrationSource source, boolean copyStorage) {}
