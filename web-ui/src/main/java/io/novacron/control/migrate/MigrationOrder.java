package io.novacron.control.migrate;

import io.novacron.workflows.migrate.MigrationMode;
import io.novacron.workflows.migrate.MigrationOptions;

/**
 * What an operator asks for when moving a VM, from the REST API or the dashboard: the source node
 * is not asked for, the inventory knows it.
 *
 * @param vmName the VM to move; must be in the inventory
 * @param targetNode the node to move it to; a known node other than the VM's current one
 * @param mode {@code live}, {@code warm} or {@code cold}; null for live
 * @param options tuning; null for the defaults
 */
public record MigrationOrder(String vmName, String targetNode, MigrationMode mode, MigrationOptions options) {}
