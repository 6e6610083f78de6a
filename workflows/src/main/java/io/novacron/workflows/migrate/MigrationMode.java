package io.novacron.workflows.migrate;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a VM moves between nodes. */
public enum MigrationMode {
  /** Memory (and, where disks are not shared, storage) copied while the guest runs. */
  @JsonProperty("live")
  LIVE,
  /** Paused and saved on the source, state file and disk streamed, restored on the target. */
  @JsonProperty("warm")
  WARM,
  /** Shut down, disk copied, started on the target. */
  @JsonProperty("cold")
  COLD
}
