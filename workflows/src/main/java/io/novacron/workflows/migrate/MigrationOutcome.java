package io.novacron.workflows.migrate;

/**
 * How the source saw a migration that completed.
 *
 * @param elapsedMs wall time of the libvirt migration call
 * @param last the last progress sample before completion
 * @param forced whether the guest was paused to force completion
 */
public record MigrationOutcome(long elapsedMs, MigrationProgress last, boolean forced) {}
