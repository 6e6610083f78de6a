package io.novacron.workflows.migrate;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a VM moves between nodes. */
public enum MigrationMode {
  /** Memory (and, where disks are not shared, storage) copied while the guest runs. */
  @JsonProperty("live")
  LIVE,
  /** Paused on the source, state copied, resumed on the target (not implemented yet). */
  @JsonProperty("warm")
  WARM,
  /** Shut down, disk copied, started on the target (not implemented yet). */
  @JsonProperty("cold")
  COLD
}
