package io.novacron.workflows.console;

import io.temporal.activity.ActivityInterface;

/**
 * Reads a guest's serial console log where the host agent writes it ({@code <data>/consoles/<vm>.log}
 * on the VM's node). Every stub is pinned to that node's queue ({@code TaskQueues.host(node)}).
 *
 * <p>A pure read: safe to retry, quick (one bounded file read), so it does not heartbeat.
 */
@ActivityInterface(namePrefix = "Console.")
public interface ConsoleActivities {
  /**
   * Returns up to {@link ConsoleRequest#boundedMaxBytes()} bytes of the VM's console log from the
   * request's offset (or its tail). A VM without a log on this node gets {@link ConsoleChunk#empty()}.
   *
   * @throws io.temporal.failure.ApplicationFailure InvalidSpec (non-retryable) when the VM name is
   *     not a NovaCron name, so that no name can reach outside the consoles directory
   */
  ConsoleChunk readConsole(ConsoleRequest request);
}
