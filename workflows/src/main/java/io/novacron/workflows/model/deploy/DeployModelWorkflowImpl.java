package io.novacron.workflows.model.deploy;

import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.model.LayerRange;
import io.novacron.workflows.model.ParallelismPlan;
import io.novacron.workflows.model.ParallelismPlanner;
import io.novacron.workflows.model.StagePlan;
import io.novacron.workflows.node.GpuInventory;
import io.novacron.workflows.FieldError;
import io.novacron.workflows.run.FailureReason;
import io.novacron.workflows.run.RunState;
import io.novacron.workflows.run.RunStatus;
import io.novacron.workflows.run.RunTracker;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Phases: check, inspect, plan, shard, distribute (one child run per node; each file leaves the
 * source once and is passed on from node to node, see {@link FanOutPlan}), serving, stopping.
 * The first child to fail makes the others abort (a signal: each cancels its step in progress and
 * cleans up), and the run waits for them before its own compensation.
 * Compensation is one idempotent call per target node, {@code stopServing(name, runId)}, run in a
 * detached scope after the children have ended (each child also stops its own node and aborts its
 * transfers): a child that failed or was cancelled cannot leave a process behind on another node.
 */
public class DeployModelWorkflowImpl implements DeployModelWorkflow {
  /** Version marker: runs recorded before it moved every file from the source node. */
  static final String FAN_OUT = "fan-out";

  private RunTracker run;
  private FanOutRelay relay;
  private boolean stopRequested;
  private DeployModelResult deployment;

  @Override
  public DeployModelResult deploy(DeployModelRequest request) {
    run = new RunTracker(TYPE, request == null ? null : request.name(), RunTracker.json(request));
    run.enter("check");
    List<FieldError> errors = DeployModelValidator.validate(request);
    if (!errors.isEmpty()) {
      String invalid = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
      run.finish(RunState.FAILED, invalid);
      throw ApplicationFailure.newNonRetryableFailure(invalid, FailureTypes.INVALID_SPEC);
    }
    run.setNode(request.sourceNode());
    boolean launched = false;
    try {
      // Also proves each agent polls its queue: an absent node fails here within 30 s.
      List<GpuInventory> inventories = new ArrayList<>();
      for (String node : request.nodes()) {
        inventories.add(DeploySteps.gpu(node).inventory());
      }
      run.enter("inspect", request.sourceNode() + ":" + request.checkpoint());
      CheckpointSummary checkpoint = DeploySteps.gpu(request.sourceNode()).inspectCheckpoint(request.checkpoint());

      ParallelismPlan plan = ParallelismPlanner.plan(DeploymentLayout.planRequest(request, checkpoint, inventories));
      if (!plan.fits()) {
        String why = DeploymentLayout.refusal(plan);
        run.finish(RunState.FAILED, why);
        throw ApplicationFailure.newNonRetryableFailure(why, FailureTypes.PLAN_REJECTED);
      }
      run.enter("plan", "TP " + plan.tp() + " x PP " + plan.pp() + ", " + plan.replicas() + " replica(s)");
      var unloadable = DeploymentLayout.formatRefusal(request.formatOrDefault(), plan);
      if (unloadable.isPresent()) {
        run.finish(RunState.FAILED, unloadable.get());
        throw ApplicationFailure.newNonRetryableFailure(unloadable.get(), FailureTypes.PLAN_REJECTED);
      }

      run.enter("shard", request.sourceNode());
      List<LayerRange> stages = plan.stages().stream().map(StagePlan::layers).toList();
      ShardSet shards = DeploySteps.gpuLong(request.sourceNode(), DeploySteps.LONG_STEP)
          .shardCheckpoint(new ShardRequest(request.name(), request.checkpoint(), plan.tp(), stages,
              request.formatOrDefault()));

      List<NodeDeployRequest> nodes = DeploymentLayout.nodeRequests(request,
          Workflow.getInfo().getWorkflowId(), plan, shards);
      run.enter("distribute", nodes.stream().map(NodeDeployRequest::node).collect(Collectors.joining(", ")));
      launched = true;
      List<NodeDeployResult> results = distribute(request.sourceNode(), nodes);

      List<String> noGpu = DeploymentLayout.nodesWithoutGpus(inventories);
      deployment = new DeployModelResult(request.name(), request.serving().runtime(), plan.tp(), plan.pp(),
          plan.replicas(), results, note(request, results, noGpu));
      run.enter("serving", deployment.note());
      Workflow.await(() -> stopRequested);

      run.enter("stopping");
      stopEverywhere(request);
      run.finish(RunState.SUCCEEDED, "stopped on request after serving: " + deployment.note());
      return deployment;
    } catch (ActivityFailure | ChildWorkflowFailure | CanceledFailure | ApplicationFailure e) {
      boolean cancelled = e instanceof CanceledFailure || e.getCause() instanceof CanceledFailure;
      boolean stop = launched;
      Workflow.newDetachedCancellationScope(() -> {
        if (stop) {
          run.enter("rollback", FailureReason.of(e));
          stopEverywhere(request);
        }
        if (!run.status().state().isTerminal()) {
          run.finish(cancelled ? RunState.CANCELLED : RunState.FAILED, FailureReason.of(e));
        }
      }).run();
      throw e;
    }
  }

  @Override
  public RunStatus status() {
    return run == null ? null : run.status();
  }

  @Override
  public DeployModelResult deployment() {
    return deployment;
  }

  @Override
  public void fileReady(String node, String file) {
    // Sent only by children, which start after the relay exists.
    if (relay != null) {
      relay.ready(node, file);
    }
  }

  @Override
  public void stop() {
    stopRequested = true;
  }

  /**
   * Runs the children side by side, each file coming from the source or from the node before in its
   * chain ({@link FanOutPlan}), relaying each node's "file ready" to the next. The first failure
   * cancels the others and waits until they have cleaned up, then rethrows; a cancellation of this
   * run reaches them the same way.
   */
  private List<NodeDeployResult> distribute(String sourceNode, List<NodeDeployRequest> nodes) {
    int version = Workflow.getVersion(FAN_OUT, Workflow.DEFAULT_VERSION, 1);
    Map<String, NodeFanOut> plan = version == Workflow.DEFAULT_VERSION
        ? FanOutPlan.fromSource(nodes) : FanOutPlan.plan(sourceNode, nodes);
    List<Promise<NodeDeployResult>> children = new ArrayList<>();
    List<NodeDeployWorkflow> stubs = new ArrayList<>();
    relay = new FanOutRelay(plan, nodes.stream().map(NodeDeployRequest::node).toList(), stubs, children);
    for (NodeDeployRequest node : nodes) {
      NodeDeployWorkflow child = Workflow.newChildWorkflowStub(NodeDeployWorkflow.class,
          ChildWorkflowOptions.newBuilder()
              .setWorkflowId(Workflow.getInfo().getWorkflowId() + "-" + node.node())
              .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
              .build());
      stubs.add(child);
      children.add(Async.function(child::deployNode, node, plan.get(node.node())));
    }
    try {
      while (!ended(children)) {
        Workflow.await(() -> relay.hasPending() || ended(children));
        relay.deliver();
      }
    } catch (CanceledFailure cancelled) {
      // The cancellation reaches the children by itself; wait until each has cleaned up.
      awaitAll(children);
      throw cancelled;
    }
    RuntimeException failure = children.stream().filter(p -> p.isCompleted() && p.getFailure() != null)
        .map(Promise::getFailure).findFirst().orElse(null);
    if (failure != null) {
      String reason = FailureReason.of(failure);
      Workflow.newDetachedCancellationScope(() -> {
        for (int i = 0; i < children.size(); i++) {
          if (!children.get(i).isCompleted()) {
            stubs.get(i).abort(nodes.get(i).node() + " stopped because another node failed: " + reason);
          }
        }
      }).run();
      awaitAll(children);
      throw failure;
    }
    return children.stream().map(Promise::get).toList();
  }

  /** Every child has ended, or one has failed. */
  private static boolean ended(List<Promise<NodeDeployResult>> children) {
    return children.stream().allMatch(Promise::isCompleted)
        || children.stream().anyMatch(p -> p.isCompleted() && p.getFailure() != null);
  }

  private static void awaitAll(List<Promise<NodeDeployResult>> children) {
    Workflow.newDetachedCancellationScope(() -> {
      for (Promise<NodeDeployResult> child : children) {
        try {
          child.get();
        } catch (RuntimeException ignored) {
          // Only waiting for each child's own cleanup to finish.
        }
      }
    }).run();
  }

  /** One stop per target node; one unreachable node does not keep the others running. */
  private void stopEverywhere(DeployModelRequest request) {
    List<Promise<Integer>> stops = new ArrayList<>();
    for (String node : request.nodes()) {
      GpuActivities agent = DeploySteps.gpu(node);
      stops.add(Async.function(agent::stopServing, request.name(), Workflow.getInfo().getWorkflowId()));
    }
    for (int i = 0; i < stops.size(); i++) {
      try {
        stops.get(i).get();
      } catch (ActivityFailure e) {
        run.enter("stopping", "could not stop on " + request.nodes().get(i) + ": " + FailureReason.of(e));
      }
    }
  }

  private static String note(DeployModelRequest request, List<NodeDeployResult> results, List<String> noGpu) {
    String where = results.stream()
        .flatMap(r -> r.processes().stream())
        .map(p -> p.node() + ":" + p.port())
        .collect(Collectors.joining(", "));
    String what = request.serving().runtime() == ServingRuntime.REFERENCE
        ? "reference loader served (not vLLM)" : "vLLM served";
    String gpus = noGpu.isEmpty() ? "" : "; no GPU on " + String.join(", ", noGpu)
        + " (planned as " + request.simulatedGpuMemoryGib() + " GiB simulated GPUs)";
    return what + " on " + where + gpus;
  }
}
