package io.novacron.control.inventory;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A VM as recorded by the run that made or last changed it. */
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
    Instant updatedAt) {}
