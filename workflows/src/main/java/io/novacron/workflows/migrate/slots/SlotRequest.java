package io.novacron.workflows.migrate.slots;

/**
 * A migration run asking for a slot.
 *
 * @param runId the MigrateVm workflow id; the grant is a signal to it, the release names it
 * @param sourceNode the node the VM leaves
 * @param limits the limits configured where the request was made; the keeper applies the latest
 *     it has seen, so a changed setting takes effect with the next request
 */
public record SlotRequest(String runId, String sourceNode, SlotLimits limits) {}
