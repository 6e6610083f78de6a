package io.novacron.workflows.migrate;

/**
 * The target agent's answer: where the VM will live there.
 *
 * @param diskPath the target's root disk
 * @param destXml the source's XML rewritten to the target's paths (disk, console, boot files)
 * @param migrationUri the URI the source daemon reaches the target's daemon at, peer to peer
 */
public record MigrationTarget(String diskPath, String destXml, String migrationUri) {}
