package io.novacron.workflows.client;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

/**
 * How every NovaCron process reaches Temporal: a gRPC target ({@code host:port}) and a namespace.
 * The control plane, the agents and the CLI all connect the same way.
 */
public final class TemporalConnection {
  public static final String DEFAULT_TARGET = "127.0.0.1:7233";
  public static final String DEFAULT_NAMESPACE = "default";

  private TemporalConnection() {}

  /** Opens service stubs to {@code target}; the caller shuts them down. */
  public static WorkflowServiceStubs stubs(String target) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
  }

  /** A client of {@code namespace} over {@code stubs}. */
  public static WorkflowClient client(WorkflowServiceStubs stubs, String namespace) {
    return WorkflowClient.newInstance(
        stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }
}
