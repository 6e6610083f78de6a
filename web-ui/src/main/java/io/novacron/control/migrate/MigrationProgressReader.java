package io.novacron.control.migrate;

import io.novacron.workflows.migrate.MigrationProgress;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Instant;
import io.novacron.workflows.transfer.TransferProgress;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The latest progress sample of a migration in its transfer phase. The host agent's monitor sends
 * each sample as the heartbeat of its {@code Migration.MigrateLive} activity; Temporal keeps the latest one
 * with the pending activity, so reading it costs one describe call and no workflow change.
 */
@Service
public class MigrationProgressReader {
  /** Activity type of {@code MigrationActivities.migrateLive}: its interface's prefix plus the method. */
  static final String MONITOR_ACTIVITY = "Migration.MigrateLive";

  private final WorkflowClient temporal;
  private final Clock clock;

  MigrationProgressReader(WorkflowClient temporal, Clock clock) {
    this.temporal = temporal;
    this.clock = clock;
  }

  /** Activity type of {@code TransferActivities.send}: a cold or warm move's disk or state stream. */
  static final String TRANSFER_ACTIVITY = "Transfer.Send";

  /** The heartbeats of the streams running now and when the latest came. */
  public record TransferSamples(List<TransferProgress> sends, Instant at) {}

  /**
   * The latest heartbeat of each transfer stream of a cold or warm move running now; empty when
   * none has sent one (or the run is unknown).
   */
  public Optional<TransferSamples> latestTransfers(String runId) {
    try {
      DataConverter converter = temporal.getOptions().getDataConverter();
      List<PendingActivityInfo> sends = describe(runId).getPendingActivitiesList().stream()
          .filter(activity -> TRANSFER_ACTIVITY.equals(activity.getActivityType().getName()))
          .filter(PendingActivityInfo::hasHeartbeatDetails)
          .toList();
      if (sends.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new TransferSamples(
          sends.stream().map(activity -> converter.fromPayloads(0, Optional.of(activity.getHeartbeatDetails()),
              TransferProgress.class, TransferProgress.class)).toList(),
          sends.stream().map(this::heartbeatTime).max(Instant::compareTo).orElseThrow()));
    } catch (StatusRuntimeException e) {
      return Optional.empty();
    }
  }

  private io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse describe(String runId) {
    return temporal.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(temporal.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(runId))
            .build());
  }

  /** One heartbeat sample and when Temporal received it. */
  public record Sample(MigrationProgress progress, Instant at) {}

  /** Empty when the run is not transferring (or has not sent a sample yet, or is unknown). */
  public Optional<MigrationProgress> latest(String runId) {
    return latestSample(runId).map(Sample::progress);
  }

  /**
   * The latest sample with its time (the activity's last heartbeat; now when Temporal gives none);
   * empty as for {@link #latest}.
   */
  public Optional<Sample> latestSample(String runId) {
    try {
      var described = temporal.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(temporal.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(runId))
              .build());
      DataConverter converter = temporal.getOptions().getDataConverter();
      return described.getPendingActivitiesList().stream()
          .filter(activity -> MONITOR_ACTIVITY.equals(activity.getActivityType().getName()))
          .filter(PendingActivityInfo::hasHeartbeatDetails)
          .findFirst()
          .map(activity -> new Sample(converter.fromPayloads(0, Optional.of(activity.getHeartbeatDetails()),
              MigrationProgress.class, MigrationProgress.class), heartbeatTime(activity)));
    } catch (StatusRuntimeException e) {
      // Unknown or not reachable right now: no sample to show; the page tries again next tick.
      return Optional.empty();
    }
  }

  private Instant heartbeatTime(PendingActivityInfo activity) {
    if (!activity.hasLastHeartbeatTime()) {
      return clock.instant();
    }
    var time = activity.getLastHeartbeatTime();
    return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
  }
}
