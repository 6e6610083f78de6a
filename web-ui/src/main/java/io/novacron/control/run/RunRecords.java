package io.novacron.control.run;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.novacron.control.shared.NotFoundException;
import io.novacron.control.shared.Paging;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Reads run records as the REST API shows them ({@link RunRecord}), one at a time or a page of a
 * filtered list, each with its live progress. Shared by the run, migration and deployment endpoints,
 * whose items are the same record.
 */
@Service
public class RunRecords {
  private final RunRepository runs;
  private final RunListReader list;
  private final RunEventRepository events;
  private final RunItems items;
  private final RunProgressReader progress;
  private final WorkflowClient temporal;

  RunRecords(RunRepository runs, RunListReader list, RunEventRepository events, RunItems items,
      RunProgressReader progress, WorkflowClient temporal) {
    this.runs = runs;
    this.list = list;
    this.events = events;
    this.items = items;
    this.progress = progress;
    this.temporal = temporal;
  }

  /** A page of matching runs and how many match in all. */
  public record Page(List<RunRecord> items, long total) {}

  /**
   * The run with its timeline, items and progress. A run Temporal knows whose first record is not
   * written yet shows as RUNNING in phase {@code pending}.
   *
   * @throws NotFoundException for a run neither the records nor Temporal know
   */
  public RunRecord get(String id) {
    return runs.findById(id)
        .map(run -> record(run, events.findTimeline(id).stream()
            .map(e -> new RunRecord.PhaseView(e.phase(), e.state(), e.detail(), e.at())).toList(), items.of(id)))
        .orElseGet(() -> pending(id).orElseThrow(() -> new NotFoundException("no run with id '" + id + "'")));
  }

  /**
   * The run as {@link #get} reads it, if it is of {@code type}: the get of the endpoints that
   * serve one run type (migrations, deployments).
   *
   * @param what the type's name in the 404 ("migration"), with {@code list} where to list them
   * @throws NotFoundException for an unknown run and for a run of another type
   */
  public RunRecord getOfType(String id, String type, String what, String list) {
    NotFoundException notFound = new NotFoundException("no " + what + " run '" + id + "'; list them with GET " + list);
    RunRecord run;
    try {
      run = get(id);
    } catch (NotFoundException unknown) {
      throw notFound;
    }
    if (!type.equals(run.type())) {
      throw notFound;
    }
    return run;
  }

  /** The matching runs of one page, newest first (filters and paging in SQL), without timelines. */
  public Page page(RunQuery query, Paging paging) {
    List<RunRecord> page = list.page(query, paging).stream().map(run -> record(run, List.of(), List.of())).toList();
    return new Page(page, list.count(query));
  }

  private RunRecord record(RunRow run, List<RunRecord.PhaseView> timeline, List<RunItems.Item> runItems) {
    return new RunRecord(run.id(), run.type(), run.subject(), run.state(), run.phase(), run.detail(), run.node(),
        run.startedAt(), run.updatedAt(), run.endedAt(), timeline, runItems, progress.of(run).orElse(null));
  }

  /** What Temporal says of a run that has no record yet; empty when Temporal does not know it either. */
  private Optional<RunRecord> pending(String id) {
    try {
      var described = temporal.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(temporal.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
              .build());
      var info = described.getWorkflowExecutionInfo();
      Instant started = Instant.ofEpochSecond(info.getStartTime().getSeconds(), info.getStartTime().getNanos());
      return Optional.of(new RunRecord(id, info.getType().getName(), null, "RUNNING", "pending", null, null, started,
          started, null, List.of(), List.of(), null));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
