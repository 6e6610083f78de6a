package io.novacron.workflows.migrate.slots;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The slot keeper's reach outside workflow code; runs on the control plane's queue. */
@ActivityInterface(namePrefix = "MigrationSlots.")
public interface MigrationSlotActivities {
  /**
   * Queues {@code request} with the cluster's slot keeper, starting the keeper if it does not run
   * (signal-with-start), with the limits configured here. Idempotent: a repeated request keeps its
   * place.
   */
  void request(SlotRequest request);

  /** Of the given MigrateVm workflow ids, those whose run has closed (or that do not exist). */
  List<String> closed(List<String> runIds);
}
