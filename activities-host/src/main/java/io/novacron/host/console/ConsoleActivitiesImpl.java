package io.novacron.host.console;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.Names;
import io.novacron.workflows.console.ConsoleActivities;
import io.novacron.workflows.console.ConsoleChunk;
import io.novacron.workflows.console.ConsoleRequest;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Serves reads of the console logs in {@code consoles} (the directory the agent's domains write
 * their serial consoles to, {@code <data>/consoles/<vm>.log}).
 */
public class ConsoleActivitiesImpl implements ConsoleActivities {
  private final Path consoles;

  public ConsoleActivitiesImpl(Path consoles) {
    this.consoles = consoles.toAbsolutePath().normalize();
  }

  @Override
  public ConsoleChunk readConsole(ConsoleRequest request) {
    String vm = request == null ? null : request.vmName();
    if (vm == null || !Names.NAME.matcher(vm).matches()) {
      // The name becomes a file name: only a NovaCron name, never "../x" or "/etc/passwd".
      throw ApplicationFailure.newNonRetryableFailure(
          "vmName: name a VM: 1-63 of a-z 0-9 -, starting with a letter", FailureTypes.INVALID_SPEC);
    }
    try {
      return ConsoleLogReader.read(consoles.resolve(vm + ".log"), request);
    } catch (IOException e) {
      throw Activity.wrap(e);
    }
  }
}
