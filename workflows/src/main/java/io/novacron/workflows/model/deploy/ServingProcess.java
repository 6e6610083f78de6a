package io.novacron.workflows.model.deploy;

import java.util.List;

/**
 * A serving process the GPU agent launched and supervises.
 *
 * @param deployment deployment name
 * @param node node
 * @param replica replica
 * @param runtime what serves
 * @param pid operating-system process id
 * @param port its HTTP port
 * @param logFile stdout and stderr, on the node
 * @param command the argument list it was started with
 * @param healthUrl what readiness is polled on; null where the process has none (headless vLLM)
 */
public record ServingProcess(String deployment, String node, int replica, ServingRuntime runtime, long pid,
    int port, String logFile, List<String> command, String healthUrl) {
  public ServingProcess {
    command = List.copyOf(command);
  }
}
