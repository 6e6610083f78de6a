package io.novacron.control.run;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A run record: the readable projection of one workflow execution. */
@Table("runs")
public record RunRow(
    @Id String id,
    String type,
    String subject,
    String input,
    String state,
    String phase,
    String detail,
    String node,
    Instant startedAt,
    Instant updatedAt,
    Instant endedAt) {}
