package io.novacron.workflows.model.deploy;

import io.novacron.workflows.gpu.GpuActivities;
import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.ReceiveEndpoint;
import io.novacron.workflows.transfer.TransferActivities;
import io.novacron.workflows.transfer.TransferFailures;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferRequest;
import io.novacron.workflows.transfer.TransferResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Transfers, verify, GPU check, launch, ready: on one node. Compensations (registered before each
 * call, since a timed-out call may have succeeded): abort each opened receive, stop the
 * deployment's processes here.
 */
public class NodeDeployWorkflowImpl implements NodeDeployWorkflow {
  /** Rounds of open-receive-then-send per file before the node counts as failed. */
  static final int SEND_ROUNDS = 5;

  private static final Logger log = Workflow.getLogger(NodeDeployWorkflowImpl.class);

  private CancellationScope work;
  private String abortReason;

  @Override
  public void abort(String reason) {
    abortReason = reason;
    if (work != null) {
      work.cancel(reason);
    }
  }

  @Override
  public NodeDeployResult deployNode(NodeDeployRequest request) {
    NodeDeployResult[] result = new NodeDeployResult[1];
    work = Workflow.newCancellationScope(() -> result[0] = deploy(request));
    if (abortReason != null) {
      work.cancel(abortReason);
    }
    try {
      work.run();
    } catch (CanceledFailure | ActivityFailure e) {
      if (abortReason != null) {
        throw ApplicationFailure.newNonRetryableFailure("aborted on " + request.node() + ": " + abortReason,
            io.novacron.workflows.FailureTypes.DEPLOY_ABORTED);
      }
      throw e;
    }
    return result[0];
  }

  private NodeDeployResult deploy(NodeDeployRequest request) {
    String node = request.node();
    GpuActivities agent = DeploySteps.gpu(node);
    TransferActivities receiver = DeploySteps.receiver(node);
    TransferActivities sender = DeploySteps.sender(request.sourceNode());
    Saga saga = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
    try {
      // Hashes what is there: as long as reading the files, so heartbeating.
      GpuActivities hashing = DeploySteps.gpuLong(node, Duration.ofHours(1));
      Set<String> unchanged = new HashSet<>(hashing.unchangedFiles(request.targetDir(), request.files()));
      int sent = 0;
      long onWire = 0;
      long resumed = 0;
      for (ShardFileRef file : request.files()) {
        if (unchanged.contains(file.file())) {
          continue;
        }
        TransferResult result = move(request, file, receiver, sender, saga);
        sent++;
        onWire += result.bytesOnWire();
        resumed += result.blocksResumed();
      }
      long total = request.files().stream().mapToLong(ShardFileRef::bytes).sum();
      long verified = hashing.verifyShards(request.targetDir(), request.files());

      GpuCheck gpu = null;
      for (LaunchRequest launch : request.launches()) {
        gpu = agent.checkGpus(launch);
      }
      saga.addCompensation(agent::stopServing, request.deployment(), request.revision());
      List<ServingProcess> processes = new ArrayList<>();
      GpuActivities waiting = DeploySteps.gpuLong(node,
          Duration.ofSeconds(request.readyTimeoutSeconds()).plus(Duration.ofMinutes(1)));
      for (LaunchRequest launch : request.launches()) {
        processes.add(agent.launch(launch));
      }
      List<ServingProcess> ready = new ArrayList<>();
      for (ServingProcess process : processes) {
        ready.add(waiting.awaitReady(process, request.readyTimeoutSeconds()));
      }
      log.info("{}: {} file(s) sent, {} unchanged, {} of {} bytes verified", node, sent,
          request.files().size() - sent, verified, total);
      return new NodeDeployResult(node, sent, request.files().size() - sent, onWire, resumed, verified, gpu, ready);
    } catch (ActivityFailure | CanceledFailure | ApplicationFailure e) {
      Workflow.newDetachedCancellationScope(saga::compensate).run();
      throw e;
    }
  }

  /**
   * Moves one file: open the receive (compensation: abort it), send, commit against the sender's
   * SHA-256 and the manifest's. A send that fails retryably after its own retries gets a fresh
   * {@code openReceive}: the receiving agent may have restarted, on another port; the receive's
   * journal survives and the next send skips what it acknowledged.
   */
  private TransferResult move(NodeDeployRequest request, ShardFileRef file, TransferActivities receiver,
      TransferActivities sender, Saga saga) {
    String transferId = "d-" + Workflow.randomUUID();
    TransferRequest transfer = new TransferRequest(transferId, request.sourceDir() + "/" + file.file(),
        request.node(), request.targetDir() + "/" + file.file(),
        TransferOptions.defaults().withBandwidthCap(request.bandwidthCapBytesPerSec()));
    saga.addCompensation(receiver::closeReceive, CloseReceiveRequest.abort(transferId));
    TransferResult result = null;
    for (int round = 1; result == null; round++) {
      ReceiveEndpoint endpoint = receiver.openReceive(transfer);
      try {
        result = sender.send(transfer, endpoint);
      } catch (ActivityFailure e) {
        if (round >= SEND_ROUNDS || !retryable(e)) {
          throw e;
        }
        log.warn("sending {} to {} failed (round {}), reopening: {}", file.file(), request.node(), round,
            e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      }
    }
    if (!file.sha256().equals(result.sha256())) {
      // The source file changed after sharding: never commit what the manifest does not vouch for.
      throw ApplicationFailure.newNonRetryableFailure(file.file() + " on " + request.sourceNode()
          + " hashes to " + result.sha256() + ", the shard set says " + file.sha256(),
          io.novacron.workflows.FailureTypes.SHARD_VERIFY_FAILED);
    }
    receiver.closeReceive(CloseReceiveRequest.commit(result));
    return result;
  }

  private static boolean retryable(TemporalFailure failure) {
    if (failure.getCause() instanceof ApplicationFailure app) {
      return !app.isNonRetryable() && !TransferFailures.AUTH_FAILED.equals(app.getType())
          && !TransferFailures.SOURCE_NOT_FOUND.equals(app.getType())
          && !TransferFailures.PATH_REJECTED.equals(app.getType())
          && !TransferFailures.INVALID_SPEC.equals(app.getType());
    }
    // Timeouts (a dead sender or receiver) are worth another round.
    return !(failure.getCause() instanceof CanceledFailure);
  }
}
