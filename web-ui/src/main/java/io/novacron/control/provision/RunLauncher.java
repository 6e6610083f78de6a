package io.novacron.control.provision;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.model.deploy.DeployModelRequest;
import io.novacron.workflows.model.deploy.DeployModelWorkflow;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.novacron.workflows.provision.ProvisionVmWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Starts runs on Temporal and returns their ids at once; the workflows record themselves. */
@Service
public class RunLauncher {
  /** A provisioning that has not finished in a day is stuck; Temporal ends it. */
  static final Duration PROVISION_TIMEOUT = Duration.ofDays(1);

  private final WorkflowClient client;
  private final MeterRegistry meters;

  RunLauncher(WorkflowClient client, MeterRegistry meters) {
    this.client = client;
    this.meters = meters;
  }

  /**
   * The run id of a provisioning: random, or derived from the client's idempotency key so that a
   * retried launch names the same run.
   */
  public static String provisionRunId(ProvisionVmRequest request, String idempotencyKey) {
    return runId("provision", request.name(), idempotencyKey);
  }

  /**
   * {@code <kind>-<subject>-<8 hex>}: random, or derived from the client's idempotency key so that a
   * retried launch names the same run.
   */
  public static String runId(String kind, String subject, String idempotencyKey) {
    String suffix = idempotencyKey == null
        ? UUID.randomUUID().toString()
        : HexFormat.of().formatHex(sha256(subject + "\n" + idempotencyKey));
    return kind + "-" + subject + "-" + suffix.substring(0, 8);
  }

  /**
   * Starts DeployModel as run {@code runId}, as {@link #provision} does. No execution timeout: the
   * run lasts as long as the deployment serves.
   *
   * @return true when this call started the run, false when it already existed
   */
  public boolean deploy(String runId, DeployModelRequest request) {
    DeployModelWorkflow workflow = client.newWorkflowStub(
        DeployModelWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(runId)
            .setTaskQueue(TaskQueues.CONTROL)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .build());
    try {
      WorkflowClient.start(workflow::deploy, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
    meters.counter("novacron.runs.started", "type", DeployModelWorkflow.TYPE).increment();
    return true;
  }

  /** Asks deployment run {@code runId} to stop serving on every node and end. */
  public void stopDeployment(String runId) {
    client.newWorkflowStub(DeployModelWorkflow.class, runId).stop();
  }

  /**
   * Starts ProvisionVm as run {@code runId}. Temporal refuses a second run with that id, even after
   * the first ended, so a launch retried with the same idempotency key never provisions twice.
   *
   * @return true when this call started the run, false when it already existed
   */
  public boolean provision(String runId, ProvisionVmRequest request) {
    ProvisionVmWorkflow workflow = client.newWorkflowStub(
        ProvisionVmWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(runId)
            .setTaskQueue(TaskQueues.CONTROL)
            .setWorkflowExecutionTimeout(PROVISION_TIMEOUT)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .build());
    try {
      WorkflowClient.start(workflow::provision, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
    meters.counter("novacron.runs.started", "type", ProvisionVmWorkflow.TYPE).increment();
    return true;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
