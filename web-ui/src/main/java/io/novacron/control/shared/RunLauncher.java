package io.novacron.control.shared;

import io.novacron.workflows.TaskQueues;
import io.novacron.workflows.fleet.DrainNodeRequest;
import io.novacron.workflows.fleet.DrainNodeWorkflow;
import io.novacron.workflows.fleet.RebalanceRequest;
import io.novacron.workflows.fleet.RebalanceWorkflow;
import io.novacron.workflows.delete.DeleteVmRequest;
import io.novacron.workflows.delete.DeleteVmWorkflow;
import io.novacron.workflows.image.ImageSource;
import io.novacron.workflows.image.ImportImageWorkflow;
import io.novacron.workflows.migrate.MigrateVmRequest;
import io.novacron.workflows.migrate.MigrateVmWorkflow;
import io.novacron.workflows.model.deploy.DeployModelRequest;
import io.novacron.workflows.model.deploy.DeployModelWorkflow;
import io.novacron.workflows.power.VmPowerRequest;
import io.novacron.workflows.power.VmPowerWorkflow;
import io.novacron.workflows.provision.ProvisionVmRequest;
import io.novacron.workflows.provision.ProvisionVmWorkflow;
import io.novacron.workflows.resize.ResizeVmRequest;
import io.novacron.workflows.resize.ResizeVmWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import io.micrometer.core.instrument.Counter;
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
  /** The migration's own completion timeout ends it long before this; Temporal's is a backstop. */
  static final Duration MIGRATION_TIMEOUT = Duration.ofDays(1);

  /** A stop's grace period is at most an hour; a run still going after two is stuck. */
  static final Duration POWER_TIMEOUT = Duration.ofHours(2);

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

  /** The run id of a migration of {@code vmName}: random, or derived from the idempotency key. */
  public static String migrationRunId(String vmName, String idempotencyKey) {
    return runId("migrate", vmName, idempotencyKey);
  }

  /**
   * The run id of a power action on {@code vmName}: random, or derived from the idempotency key.
   * Start and stop share the kind {@code power}, so one key sent with both is a 422, not two runs.
   */
  public static String powerRunId(String vmName, String idempotencyKey) {
    return runId("power", vmName, idempotencyKey);
  }

  /** The run id of a delete of {@code vmName}: random, or derived from the idempotency key. */
  public static String deleteRunId(String vmName, String idempotencyKey) {
    return runId("delete", vmName, idempotencyKey);
  }

  /** The run id of a resize of {@code vmName}: random, or derived from the idempotency key. */
  public static String resizeRunId(String vmName, String idempotencyKey) {
    return runId("resize", vmName, idempotencyKey);
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
   * Starts ProvisionVm as run {@code runId}. Temporal refuses a second run with that id, even after
   * the first ended, so a launch retried with the same idempotency key never provisions twice.
   *
   * @return true when this call started the run, false when it already existed
   */
  public boolean provision(String runId, ProvisionVmRequest request) {
    ProvisionVmWorkflow workflow = client.newWorkflowStub(ProvisionVmWorkflow.class, options(runId, PROVISION_TIMEOUT));
    return start(ProvisionVmWorkflow.TYPE, () -> WorkflowClient.start(workflow::provision, request));
  }

  /**
   * Starts MigrateVm as run {@code runId}, with the same duplicate guard as {@link #provision}.
   *
   * @return true when this call started the run, false when it already existed
   */
  public boolean migrate(String runId, MigrateVmRequest request) {
    MigrateVmWorkflow workflow = client.newWorkflowStub(MigrateVmWorkflow.class, options(runId, MIGRATION_TIMEOUT));
    return start(MigrateVmWorkflow.TYPE, () -> WorkflowClient.start(workflow::migrate, request));
  }

  /**
   * Starts DeployModel as run {@code runId}, as {@link #provision} does. No execution timeout: the
   * run lasts as long as the deployment serves.
   *
   * @return true when this call started the run, false when it already existed
   */
  public boolean deploy(String runId, DeployModelRequest request) {
    DeployModelWorkflow workflow = client.newWorkflowStub(DeployModelWorkflow.class, options(runId, null));
    return start(DeployModelWorkflow.TYPE, () -> WorkflowClient.start(workflow::deploy, request));
  }

  /**
   * Starts VmPower as run {@code runId}, with the same duplicate guard as {@link #provision}.
   *
   * @return true when this call started the run, false when it already existed
   */
  public boolean power(String runId, VmPowerRequest request) {
    VmPowerWorkflow workflow = client.newWorkflowStub(VmPowerWorkflow.class, options(runId, POWER_TIMEOUT));
    return start(VmPowerWorkflow.TYPE, () -> WorkflowClient.start(workflow::power, request));
  }

  /**
   * Starts DeleteVm as run {@code runId}, with the same duplicate guard as {@link #provision}.
   *
   * @return true when this call started the run, false when it already existed
   */
  public boolean delete(String runId, DeleteVmRequest request) {
    DeleteVmWorkflow workflow = client.newWorkflowStub(DeleteVmWorkflow.class, options(runId, POWER_TIMEOUT));
    return start(DeleteVmWorkflow.TYPE, () -> WorkflowClient.start(workflow::delete, request));
  }

  /**
   * Starts ImportImage for an image registered by node and path, as run
   * {@code image-import-<name>-<8 hex>}; returns the run id.
   */
  public String importImage(ImageSource source) {
    String runId = runId("image-import", source.image(), null);
    ImportImageWorkflow workflow = client.newWorkflowStub(ImportImageWorkflow.class, options(runId, PROVISION_TIMEOUT));
    start(ImportImageWorkflow.TYPE, () -> WorkflowClient.start(workflow::importImage, source));
    return runId;
  }

  /**
   * Starts ResizeVm as run {@code runId}, with the same duplicate guard as {@link #provision}.
   *
   * @return true when this call started the run, false when it already existed
   */
  public boolean resize(String runId, ResizeVmRequest request) {
    ResizeVmWorkflow workflow = client.newWorkflowStub(ResizeVmWorkflow.class, options(runId, POWER_TIMEOUT));
    return start(ResizeVmWorkflow.TYPE, () -> WorkflowClient.start(workflow::resize, request));
  }

  /**
   * Starts DrainNode as run {@code runId}, with the same duplicate guard as {@link #provision}. A drain
   * of many VMs takes long; its moves have their own timeouts, so it has none of its own.
   *
   * @return true when this call started the run, false when it already existed
   */
  public boolean drain(String runId, DrainNodeRequest request) {
    DrainNodeWorkflow workflow = client.newWorkflowStub(DrainNodeWorkflow.class, options(runId, null));
    return start(DrainNodeWorkflow.TYPE, () -> WorkflowClient.start(workflow::drain, request));
  }

  /**
   * Starts Rebalance as run {@code runId}, as {@link #drain} does.
   *
   * @return true when this call started the run, false when it already existed
   */
  public boolean rebalance(String runId, RebalanceRequest request) {
    RebalanceWorkflow workflow = client.newWorkflowStub(RebalanceWorkflow.class, options(runId, null));
    return start(RebalanceWorkflow.TYPE, () -> WorkflowClient.start(workflow::rebalance, request));
  }

  /** Asks deployment run {@code runId} to stop serving on every node and end. */
  public void stopDeployment(String runId) {
    client.newWorkflowStub(DeployModelWorkflow.class, runId).stop();
  }

  /**
   * Runs {@code start}; counts the run unless Temporal already had one with its id.
   *
   * @throws DependencyUnavailableException when Temporal did not answer in time (the caller's
   *     transaction, and with it a claimed Idempotency-Key, rolls back: a retry starts it then)
   */
  private boolean start(String type, Runnable start) {
    try {
      start.run();
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    } catch (RuntimeException e) {
      if (DependencyUnavailable.of(e).isPresent()) {
        throw new DependencyUnavailableException(DependencyUnavailable.TEMPORAL, e);
      }
      throw e;
    }
    Counter.builder("novacron.runs.started").description("Runs the control plane started, by run type")
        .tag("type", type).register(meters).increment();
    return true;
  }

  /** Options of run {@code runId} on the control queue; {@code timeout} null for none. */
  private static WorkflowOptions options(String runId, Duration timeout) {
    WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
        .setWorkflowId(runId)
        .setTaskQueue(TaskQueues.CONTROL)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);
    return timeout == null ? options.build() : options.setWorkflowExecutionTimeout(timeout).build();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
