package io.novacron.workflows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

/**
 * How every NovaCron process turns the contracts' records into Temporal payloads and back: part
 * of the contract itself, since a control plane and agents of different versions must read each
 * other during a rolling upgrade.
 */
public final class DataConversion {
  private DataConversion() {}

  /**
   * Temporal's JSON converter, told to ignore fields it does not know: during a rolling upgrade an
   * agent one version behind must still read what a newer control plane sends, and the reverse.
   */
  public static DataConverter converter() {
    ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    return DefaultDataConverter.newDefaultInstance()
        .withPayloadConverterOverrides(new JacksonJsonPayloadConverter(mapper));
  }

  /** Client options every process (and every workflow test) uses: the namespace and {@link #converter()}. */
  public static WorkflowClientOptions clientOptions(String namespace) {
    return WorkflowClientOptions.newBuilder()
        .setNamespace(namespace)
        .setDataConverter(converter())
        .build();
  }
}
