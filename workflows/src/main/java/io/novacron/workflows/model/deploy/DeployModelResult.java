package io.novacron.workflows.model.deploy;

import java.util.List;

/**
 * A deployment as it served.
 *
 * @param name deployment name
 * @param runtime what served: {@link ServingRuntime#REFERENCE} means the reference loader, not a
 *     model server
 * @param tp tensor-parallel degree
 * @param pp pipeline-parallel degree
 * @param replicas replicas launched
 * @param nodes each node's result
 * @param note one line for the run record: what served where, and whether any GPU was involved
 */
public record DeployModelResult(String name, ServingRuntime runtime, int tp, int pp, int replicas,
    List<NodeDeployResult> nodes, String note) {
  public DeployModelResult {
    nodes = List.copyOf(nodes);
  }
}
