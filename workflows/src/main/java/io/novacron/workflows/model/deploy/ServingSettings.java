package io.novacron.workflows.model.deploy;

/**
 * How each node's serving process is started and judged ready.
 *
 * @param runtime {@link ServingRuntime#VLLM} (default) or {@link ServingRuntime#REFERENCE}
 * @param commandTemplate the command, split on whitespace, then each word's {@code {variables}}
 *     substituted (see {@link CommandTemplate}); null for the runtime's default
 * @param port port of the serving process's HTTP endpoint; 0 lets each node's agent pick a free one
 * @param readyTimeoutSeconds how long a node may take to answer its health check; 0 for
 *     {@value #DEFAULT_READY_TIMEOUT_SECONDS}
 */
public record ServingSettings(ServingRuntime runtime, String commandTemplate, int port,
    int readyTimeoutSeconds) {
  public static final int DEFAULT_PORT = 8000;
  public static final int DEFAULT_READY_TIMEOUT_SECONDS = 1800;

  public ServingSettings {
    runtime = runtime == null ? ServingRuntime.VLLM : runtime;
    commandTemplate = commandTemplate == null || commandTemplate.isBlank()
        ? CommandTemplate.defaultFor(runtime) : commandTemplate.trim();
    readyTimeoutSeconds = readyTimeoutSeconds == 0 ? DEFAULT_READY_TIMEOUT_SECONDS : readyTimeoutSeconds;
  }

  public static ServingSettings defaults() {
    return new ServingSettings(ServingRuntime.VLLM, null, DEFAULT_PORT, 0);
  }

  public static ServingSettings reference(int port) {
    return new ServingSettings(ServingRuntime.REFERENCE, null, port, 0);
  }
}
