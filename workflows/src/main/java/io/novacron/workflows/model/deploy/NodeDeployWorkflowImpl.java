package io.novacron.workflows.model.deploy;

import io.novacron.workflows.transfer.TransferResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
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
 * Transfers (several files at once, {@link FilesInFlight}), layout check, GPU check, launch, ready: on one node. Each file comes from the source or, once
 * announced, from the node before this one in its chain ({@link ShardFetcher}); each file this
 * node passes on is announced once committed here. Compensations (registered before each call,
 * since a timed-out call may have succeeded): abort each opened receive, stop the deployment's
 * processes here.
 */
public class NodeDeployWorkflowImpl implements NodeDeployWorkflow {
  /**
   * Version marker: runs recorded before it moved one file at a time and hashed every file again
   * after the transfers (verifyShards); from version 1, up to {@link FilesInFlight#DEFAULT_LIMIT}
   * files at once and checkShards.
   */
  static final String FILES_IN_FLIGHT = "files-in-flight";

  private static final Logger log = Workflow.getLogger(NodeDeployWorkflowImpl.class);

  private final Set<String> upstreamHas = new HashSet<>();
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
  public void upstreamReady(String file) {
    upstreamHas.add(file);
  }

  @Override
  public NodeDeployResult deployNode(NodeDeployRequest request, NodeFanOut fanOut) {
    NodeDeployResult[] result = new NodeDeployResult[1];
    work = Workflow.newCancellationScope(() -> result[0] = deploy(request, fanOut));
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

  private NodeDeployResult deploy(NodeDeployRequest request, NodeFanOut fanOut) {
    String node = request.node();
    GpuActivities agent = DeploySteps.gpu(node);
    Saga saga = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
    ShardFetcher fetcher = new ShardFetcher(request, fanOut, saga, upstreamHas::contains);
    try {
      // Hashes what is there: as long as reading the files, so heartbeating.
      GpuActivities hashing = DeploySteps.gpuLong(node, Duration.ofHours(1));
      Set<String> unchanged = new HashSet<>(hashing.unchangedFiles(request.targetDir(), request.files()));
      // What is already here and sound can be passed on at once.
      request.files().stream().map(ShardFileRef::file).filter(unchanged::contains).forEach(fetcher::announce);
      List<ShardFileRef> toMove = request.files().stream().filter(f -> !unchanged.contains(f.file())).toList();
      long verified;
      List<TransferResult> moved;
      if (Workflow.getVersion(FILES_IN_FLIGHT, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
        moved = oneAtATime(fetcher, toMove);
        verified = hashing.verifyShards(request.targetDir(), request.files(), request.format());
      } else {
        // Each file checked against the shard set's digest before it is committed, and passed on
        // only then: downstream nodes never see bytes nobody verified.
        moved = new FilesInFlight<>(FilesInFlight.DEFAULT_LIMIT, (ShardFileRef file) -> {
          TransferResult result = fetcher.fetch(file);
          fetcher.announce(file.file());
          return result;
        }).run(toMove);
        // Every file's SHA-256 is checked by now: on receipt (the engine, against the shard set's
        // digest) or by unchangedFiles. What is left is the layout: sizes and tensors, no re-hash.
        verified = hashing.checkShards(request.targetDir(), request.files(), request.format());
      }
      int sent = moved.size();
      long onWire = moved.stream().mapToLong(TransferResult::bytesOnWire).sum();
      long resumed = moved.stream().mapToLong(TransferResult::blocksResumed).sum();
      long total = request.files().stream().mapToLong(ShardFileRef::bytes).sum();

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
      log.info("{}: {} file(s) sent ({} from another node, {} fell back to the source), {} unchanged, {} of {}"
          + " bytes verified", node, sent, fetcher.forwarded(), fetcher.fellBack(), request.files().size() - sent,
          verified, total);
      return new NodeDeployResult(node, sent, request.files().size() - sent, onWire, resumed, verified, gpu, ready);
    } catch (ActivityFailure | CanceledFailure | ApplicationFailure e) {
      Workflow.newDetachedCancellationScope(saga::compensate).run();
      throw e;
    }
  }

  /** As runs recorded before {@value #FILES_IN_FLIGHT}: one file after another, in the request's order. */
  private static List<TransferResult> oneAtATime(ShardFetcher fetcher, List<ShardFileRef> files) {
    List<TransferResult> moved = new ArrayList<>();
    for (ShardFileRef file : files) {
      moved.add(fetcher.fetch(file));
      fetcher.announce(file.file());
    }
    return moved;
  }
}
