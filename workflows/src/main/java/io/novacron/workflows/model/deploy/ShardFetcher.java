package io.novacron.workflows.model.deploy;

import io.novacron.workflows.transfer.CloseReceiveRequest;
import io.novacron.workflows.transfer.FileMover;
import io.novacron.workflows.transfer.TransferActivities;
import io.novacron.workflows.transfer.TransferOptions;
import io.novacron.workflows.transfer.TransferResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * Brings one node's shard files in, each from where the {@link NodeFanOut} says: the source's
 * shard set, or an upstream node once that node has committed the file. Workflow code only.
 *
 * <p>A file from an upstream node that cannot be had from it (its agent gone for good, the file
 * gone there, a digest that does not match) comes from the source instead: the half-received
 * transfer is aborted first and the file is sent again whole, from the shard set. The upstream
 * gets {@link #FORWARDER_ROUNDS} rounds, {@link #UPSTREAM_PATIENCE} apart, before that: an agent
 * that shuts down fails its sends at once, and one that restarts within that time resumes the
 * transfer from this node's journal; a lost one costs a few timeouts rather than the deployment.
 */
final class ShardFetcher {
  /** Open-receive-then-send rounds from an upstream node before falling back to the source. */
  static final int FORWARDER_ROUNDS = 3;
  /** Wait before opening the receive again for an upstream node: long enough for an agent restart. */
  static final Duration UPSTREAM_PATIENCE = Duration.ofSeconds(10);

  private static final Logger log = Workflow.getLogger(ShardFetcher.class);

  private final NodeDeployRequest request;
  private final NodeFanOut fanOut;
  private final Saga saga;
  private final Predicate<String> upstreamHas;
  private final TransferActivities receiver;
  private int fellBack;
  private int forwarded;

  /**
   * @param upstreamHas whether the upstream has announced its copy of a file (the child's signal)
   */
  ShardFetcher(NodeDeployRequest request, NodeFanOut fanOut, Saga saga, Predicate<String> upstreamHas) {
    this.request = request;
    this.fanOut = fanOut == null ? NodeFanOut.FROM_SOURCE : fanOut;
    this.saga = saga;
    this.upstreamHas = upstreamHas;
    this.receiver = DeploySteps.receiver(request.node());
  }

  /** Moves {@code file} here and commits it against the shard set's digest. */
  TransferResult fetch(ShardFileRef file) {
    NodeFanOut.Upstream upstream = fanOut.upstream(file.file());
    if (upstream != null) {
      Workflow.await(() -> upstreamHas.test(file.file()));
      String id = "d-" + Workflow.randomUUID();
      try {
        int[] reopened = {0};
        TransferResult result = move(id, file, upstream.node(), upstream.dir(), () -> {
          if (++reopened[0] >= FORWARDER_ROUNDS) {
            return false;
          }
          Workflow.sleep(UPSTREAM_PATIENCE);
          return true;
        });
        forwarded++;
        return result;
      } catch (ActivityFailure | ApplicationFailure e) {
        if (CancellationScope.current().isCancelRequested()) {
          throw e;
        }
        log.warn("{}: {} from {} failed, taking it from the source {}: {}", request.node(), file.file(),
            upstream.node(), request.sourceNode(), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        // The next transfer writes the same target: end this one first.
        receiver.closeReceive(CloseReceiveRequest.abort(id));
        fellBack++;
      }
    }
    // From the source as before fan-out: FileMover's own rounds, no wait between them.
    return move("d-" + Workflow.randomUUID(), file, request.sourceNode(), request.sourceDir(), () -> true);
  }

  /** Tells the parent that this node holds a verified {@code file}, if a downstream node waits for it. */
  void announce(String file) {
    if (!fanOut.forwards(file)) {
      return;
    }
    String parent = Workflow.getInfo().getParentWorkflowId().orElseThrow(
        () -> new IllegalStateException("a node run that forwards files must run as a deployment's child"));
    Workflow.newExternalWorkflowStub(DeployModelWorkflow.class, parent).fileReady(request.node(), file);
  }

  /** Files that came from an upstream node. */
  int forwarded() {
    return forwarded;
  }

  /** Files that an upstream node could not send and the source did. */
  int fellBack() {
    return fellBack;
  }

  private TransferResult move(String id, ShardFileRef file, String from, String dir, BooleanSupplier reopen) {
    FileMover mover = new FileMover(receiver, DeploySteps.sender(from),
        abort -> saga.addCompensation(receiver::closeReceive, abort), reopen);
    return mover.move(List.of(new FileMover.File(id, dir + "/" + file.file(), request.node(),
        request.targetDir() + "/" + file.file(),
        TransferOptions.defaults().withBandwidthCap(request.bandwidthCapBytesPerSec()), file.sha256())))
        .results().get(0);
  }
}
