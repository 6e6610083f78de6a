package io.novacron.control.run;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** One phase change of a run. */
@Table("run_events")
public record RunEventRow(@Id Long id, String runId, String phase, String state, String detail, Instant at) {}
