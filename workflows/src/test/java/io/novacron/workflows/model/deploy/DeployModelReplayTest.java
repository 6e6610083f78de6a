package io.novacron.workflows.model.deploy;

import io.novacron.workflows.Replays;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Replays histories recorded from a real deployment (DeployModelIT in activities-gpu: two GPU
 * agents, real transfers and reference loaders) against the current workflow code. A change that
 * reorders, adds or removes commands fails here, as it would fail deployments in flight.
 * Regenerate only for a deliberate, versioned change: {@code mvn -pl activities-gpu -am verify
 * -Dit.test=DeployModelIT -Dnovacron.recordHistory=true} (the fan-out pair alone:
 * {@code -Dit.test='DeployModelIT#three_replicas_make_the_source_send_the_shards_once'}, which now
 * writes the {@code *-in-flight.json} pair). Re-recording the whole IT overwrites the
 * pre-fan-out pair with current histories: record the fan-out pair alone to keep them.
 */
class DeployModelReplayTest {
  @Test
  void a_served_and_stopped_deployment_replays() throws Exception {
    Replays.replay(history("histories/deploy-model-served.json", "deploy-tiny-1"), DeployModelWorkflowImpl.class);
  }

  @Test
  void a_nodes_child_run_replays() throws Exception {
    Replays.replay(history("histories/deploy-model-node-served.json", "deploy-tiny-1-gpu-b"), NodeDeployWorkflowImpl.class);
  }

  /**
   * Three replicas with fan-out (version {@value DeployModelWorkflowImpl#FAN_OUT} 1): the parent
   * relays "file ready" signals, and gpu-c's child waits for them and pulls from gpu-b. The two
   * histories above predate fan-out and replay without its marker, as runs in flight at an upgrade
   * would.
   */
  @Test
  void a_fanned_out_deployment_replays() throws Exception {
    Replays.replay(history("histories/deploy-model-fan-out.json", "deploy-tiny-fan-out"),
        DeployModelWorkflowImpl.class);
  }

  @Test
  void a_child_that_pulls_from_another_node_replays() throws Exception {
    Replays.replay(
        history("histories/deploy-model-node-fan-out.json", "deploy-tiny-fan-out-gpu-c"), NodeDeployWorkflowImpl.class);
  }

  /**
   * Version {@value NodeDeployWorkflowImpl#FILES_IN_FLIGHT} 1: gpu-c's three files in flight at
   * once (opens, sends and commits interleaved with gpu-b's "file ready" signals), then checkShards
   * instead of a second hash. The fan-out histories above predate it and replay one file at a time.
   */
  @Test
  void a_fanned_out_deployment_with_files_in_flight_replays() throws Exception {
    Replays.replay(
        history("histories/deploy-model-fan-out-in-flight.json", "deploy-tiny-fan-out"), DeployModelWorkflowImpl.class);
  }

  @Test
  void a_child_that_moves_files_at_once_from_another_node_replays() throws Exception {
    Replays.replay(
        history("histories/deploy-model-node-fan-out-in-flight.json", "deploy-tiny-fan-out-gpu-c"),
        NodeDeployWorkflowImpl.class);
  }

  /** The recorded run's id matters: the parent derives its children's ids from its own. */
  private static WorkflowExecutionHistory history(String resource, String workflowId) throws IOException {
    try (InputStream in = DeployModelReplayTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing");
      }
      return WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), workflowId);
    }
  }
}
