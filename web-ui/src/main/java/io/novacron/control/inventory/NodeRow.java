package io.novacron.control.inventory;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;
import io.novacron.workflows.provision.NodeCapacity;
import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;

/** A node as recorded from its agents' announcements. */
@Table("nodes")
public record NodeRow(
    @Id String name,
    String hostname,
    String cpuModel,
    int cpus,
    long memoryMib,
    String libvirtUri,
    String libvirtDriver,
    String domainType,
    long storageTotalGib,
    long storageFreeGib,
    String images,
    String hostAgentVersion,
    @Column("host_announce_interval_s") int hostAnnounceIntervalSeconds,
    Instant hostSeenAt,
    String gpuSource,
    String gpuDriverVersion,
    @JsonRawValue @Schema(type = "array", description = "the GPUs, as the GPU agent announced them") String gpus, // a JSON array, stored and served as the GPU agent sent it
    String gpuAgentVersion,
    @Column("gpu_announce_interval_s") int gpuAnnounceIntervalSeconds,
    Instant gpuSeenAt,
    Instant firstSeenAt,
    String networks, // the active libvirt networks, comma-separated; null from an older agent
    String cordon, // why the node takes no new VMs; null while it is not cordoned
    Instant cordonedAt,
    @JsonRawValue @Schema(type = "object", description = "label name to value") String labels) { // the operator's labels, a JSON object

  /** Whether the node takes no new VMs. */
  public boolean cordoned() {
    return cordon != null;
  }

  /** Whether the host agent missed three announcements (or never made one). */
  public boolean hostStale(Instant now) {
    return hostSeenAt == null
        || NodeCapacity.isStale(hostSeenAt.toEpochMilli(), hostAnnounceIntervalSeconds, now.toEpochMilli());
  }

  /** Whether the GPU agent missed three announcements (or never made one). */
  public boolean gpuStale(Instant now) {
    return gpuSeenAt == null
        || NodeCapacity.isStale(gpuSeenAt.toEpochMilli(), gpuAnnounceIntervalSeconds, now.toEpochMilli());
  }

  /** libvirt's test driver simulates guests: nothing it "runs" is real. */
  public boolean simulated() {
    return "Test".equalsIgnoreCase(libvirtDriver);
  }
}
