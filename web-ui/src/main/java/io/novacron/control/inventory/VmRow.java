package io.novacron.control.inventory;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A VM as recorded by the run that made or last changed it, and as the reconciliation with libvirt
 * corrected it since (docs/architecture.md, "The inventory follows libvirt").
 *
 * @param state libvirt's state in lower case ({@code running}, {@code shutoff}, ...), or
 *     {@code missing} while no node announces a domain with the VM's uuid
 * @param origin {@code novacron} (made by a run) or {@code discovered} (found on a node, made
 *     outside NovaCron)
 * @param drift the last difference found between this record and libvirt, as a sentence; null
 *     while none was found
 * @param driftAt when that difference was found
 * @param nics the VM's network interfaces as NovaCron assigned them, a JSON array of
 *     {@code {"network","mac"}}; null for a VM without any
 * @param addresses the guest's IP addresses as its node last found them, a JSON array of
 *     {@code {"mac","ip","source"}}; null while none is known
 * @param labels the VM's key/value labels, a JSON object ({@code {}} for none)
 */
@Table("vms")
public record VmRow(
    @Id String name,
    String uuid,
    String node,
    String state,
    int vcpus,
    long memoryMib,
    long diskGib,
    String image,
    String diskPath,
    String runId,
    Instant createdAt,
    Instant updatedAt,
    String origin,
    String drift,
    Instant driftAt,
    @JsonRawValue @Schema(type = "array", description = "the network interfaces") String nics,
    @JsonRawValue @Schema(type = "array", description = "the guest's IP addresses") String addresses,
    @JsonRawValue @Schema(type = "object", description = "label name to value") String labels) {
  /** The state of a VM no node announces. */
  public static final String MISSING = "missing";

  /** The state a VM on a down node is shown in: neither running nor stopped, since no one can tell. */
  public static final String UNKNOWN = "unknown";

  /** This record with {@code newState} in place of its state. */
  public VmRow withState(String newState) {
    return new VmRow(name, uuid, node, newState, vcpus, memoryMib, diskGib, image, diskPath, runId, createdAt,
        updatedAt, origin, drift, driftAt, nics, addresses, labels);
  }

  /** Whether no node announces the VM's domain any more. */
  public boolean missing() {
    return MISSING.equals(state);
  }
}
