package io.novacron.workflows.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
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

  /** A client of {@code namespace} over {@code stubs}, with {@link #dataConverter()}. */
  public static WorkflowClient client(WorkflowServiceStubs stubs, String namespace) {
    return WorkflowClient.newInstance(stubs, clientOptions(namespace));
  }

  /** Client options every process (and every workflow test) uses. */
  public static WorkflowClientOptions clientOptions(String namespace) {
    return WorkflowClientOptions.newBuilder()
        .setNamespace(namespace)
        .setDataConverter(dataConverter())
        .build();
  }

  /**
   * Temporal's JSON converter, told to ignore fields it does not know: during a rolling upgrade an
   * agent one version behind must still read what a newer control plane sends, and the reverse.
   */
  public static DataConverter dataConverter() {
    ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    return DefaultDataConverter.newDefaultInstance()
        .withPayloadConverterOverrides(new JacksonJsonPayloadConverter(mapper));
  }
}
