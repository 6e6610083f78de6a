package io.novacron.control.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A run as the REST API shows it ({@code GET /api/v1/runs/{id}}, and each item of the run,
 * migration and deployment lists).
 *
 * @param timeline the phases entered, in order; empty in lists
 * @param items a drain's or rebalance's VMs; absent when the run has none, and in lists
 * @param progress live byte progress; absent when the run reports none (see {@link RunProgressReader})
 */
public record RunRecord(
    String id, String type, String subject, String state, String phase, String detail, String node,
    Instant startedAt, Instant updatedAt, Instant endedAt, List<PhaseView> timeline,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RunItems.Item> items,
    @JsonInclude(JsonInclude.Include.NON_NULL) RunProgress progress) {

  /** One phase change of the timeline. */
  public record PhaseView(String phase, String state, String detail, Instant at) {}
}
