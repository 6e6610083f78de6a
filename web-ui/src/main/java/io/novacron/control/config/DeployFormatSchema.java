package io.novacron.control.config;

import io.novacron.workflows.model.deploy.ShardFormat;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Lists the values of {@code DeployModelRequest.format} in /v3/api-docs. The field is a string in
 * the record (so that a bad value is the validator's 400 naming {@code format}, not a parse error),
 * which springdoc would document as any string; the record lives in the workflows module, which has
 * no OpenAPI annotations.
 */
final class DeployFormatSchema implements OpenApiCustomizer {
  static final String SCHEMA = "DeployModelRequest";

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public void customise(OpenAPI api) {
    if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
      return;
    }
    Schema request = api.getComponents().getSchemas().get(SCHEMA);
    Map<String, Schema> properties = request == null ? null : request.getProperties();
    Schema format = properties == null ? null : properties.get("format");
    if (format != null) {
      format.setEnum(new ArrayList<>(ShardFormat.labels()));
      format.setDescription("the files every node gets: novacron (default; any TP x PP) or vllm-sharded-state"
          + " (vLLM's model-rank-N-part-0.safetensors per TP rank, served with --load-format sharded_state; PP 1"
          + " only). Case is ignored; absent or null means novacron.");
    }
  }
}
