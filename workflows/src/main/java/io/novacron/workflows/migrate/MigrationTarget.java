package io.novacron.workflows.migrate;

/**
 * The target agent's answer: where the VM will live there.
 *
 * @param diskPath the target's root disk
 * @param destXml the source's XML rewritten to the target's paths (disk, console, boot files); with
 *     pre-copy its root disk is {@link #overlayPath}
 * @param migrationUri the URI the source daemon reaches the target's daemon at, peer to peer
 * @param statePath warm mode: where the saved memory state lands on the target (inside its data
 *     directory); null from agents older than warm mode
 * @param overlayPath live mode with pre-copy: the overlay on top of {@link #diskPath} that libvirt
 *     mirrors the source's overlay into (made by {@link MigrationActivities#stackOverlay}); null
 *     without pre-copy
 */
public record MigrationTarget(String diskPath, String destXml, String migrationUri, String statePath,
    String overlayPath) {
  /** An answer without pre-copy. */
  public MigrationTarget(String diskPath, String destXml, String migrationUri, String statePath) {
    this(diskPath, destXml, migrationUri, statePath, null);
  }
}
