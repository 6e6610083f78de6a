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
 * Transfers, verify, GPU check, launch, ready: on one node. Each file comes from the source or, once
 * announced, from the node before this one in its chain ({@link ShardFetcher}); each file this
 * node passes on is announced once committed here. Compensations (registered before each call,
 * since a timed-out call may have succeeded): abort each opened receive, stop the deployment's
 * processes here.
 */
public class NodeDeployWorkflowImpl implements NodeDeployWorkflow {
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
      int sent = 0;
      long onWire = 0;
      long resumed = 0;
      for (ShardFileRef file : request.files()) {
        if (unchanged.contains(file.file())) {
          continue;
        }
        // One at a time, each checked against the shard set's digest before it is committed, and
        // passed on only then: downstream nodes never see bytes nobody verified.
        TransferResult result = fetcher.fetch(file);
        fetcher.announce(file.file());
        sent++;
        onWire += result.bytesOnWire();
        resumed += result.blocksResumed();
      }
      long total = request.files().stream().mapToLong(ShardFileRef::bytes).sum();
      long verified = hashing.verifyShards(request.targetDir(), request.files(), request.format());

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
}
