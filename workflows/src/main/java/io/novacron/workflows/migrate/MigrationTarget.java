package io.novacron.workflows.migrate;

/**
 * The target agent's answer: where the VM will live there.
 *
 * @param diskPath the target's root disk
 * @param destXml the source's XML rewritten to the target's paths (disk, console, boot files)
 * @param migrationUri the URI the source daemon reaches the target's daemon at, peer to peer
 * @param statePath warm mode: where the saved memory state lands on the target (inside its data
 *     directory); null from agents older than warm mode
 */
public record MigrationTarget(String diskPath, String destXml, String migrationUri, String statePath) {}
