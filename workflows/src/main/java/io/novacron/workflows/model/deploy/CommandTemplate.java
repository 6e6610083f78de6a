package io.novacron.workflows.model.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A serving command with {@code {variables}}. The template is split into words on whitespace
 * first and variables are substituted inside each word afterwards, so a value (a path with a
 * space, say) never becomes two arguments and nothing is ever handed to a shell. A variable whose
 * value is empty removes its word when the word is nothing but that variable ({@code {headless}}
 * on the head node).
 */
public final class CommandTemplate {
  /** Variables a template may use; {@link #unknownVariables} rejects any other. */
  public static final Set<String> VARIABLES = Set.of(
      "dir", "port", "tp", "pp", "nnodes", "nodeRank", "masterAddr", "masterPort", "headless",
      "ranks", "gpus", "replica", "model", "node", "java", "loader", "format", "loadFormat");

  /**
   * vLLM: the node's directory, TP and PP, the load format of the deployment's files
   * ({@code {loadFormat}}: {@code auto}, or {@code sharded_state} for format
   * {@code vllm-sharded-state}), and its multiprocessing multi-node settings (one process per node;
   * every node but the replica's first runs headless).
   */
  public static final String VLLM_DEFAULT = "vllm serve {dir} --served-model-name {model} --port {port}"
      + " --tensor-parallel-size {tp} --pipeline-parallel-size {pp} --load-format {loadFormat}"
      + " --distributed-executor-backend mp"
      + " --nnodes {nnodes} --node-rank {nodeRank} --master-addr {masterAddr} --master-port {masterPort}"
      + " {headless}";

  /**
   * The reference loader, started from the GPU agent's own Java and jar ({@code {loader}});
   * {@code {format}} tells it which files to read.
   */
  public static final String REFERENCE_DEFAULT =
      "{java} {loader} --dir={dir} --ranks={ranks} --port={port} --format={format}";

  private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z]+)}");

  private CommandTemplate() {}

  public static String defaultFor(ServingRuntime runtime) {
    return runtime == ServingRuntime.REFERENCE ? REFERENCE_DEFAULT : VLLM_DEFAULT;
  }

  /**
   * Why {@code template} cannot serve files in {@code format}, if it cannot: vLLM must be told
   * {@code --load-format sharded_state} (through {@code {loadFormat}}) and the reference loader
   * {@code --format} (through {@code {format}}), or each would read the files as NovaCron's.
   */
  public static Optional<String> formatProblem(String template, ServingRuntime runtime, ShardFormat format) {
    if (format != ShardFormat.VLLM_SHARDED_STATE || template == null) {
      return Optional.empty();
    }
    if (runtime == ServingRuntime.REFERENCE && !template.contains("{format}")) {
      return Optional.of("format " + format.label() + " needs the reference loader's --format={format};"
          + " add it to the template or leave the template out");
    }
    if (runtime == ServingRuntime.VLLM && !template.contains("{loadFormat}") && !template.contains("sharded_state")) {
      return Optional.of("format " + format.label() + " needs vLLM's --load-format {loadFormat}"
          + " (sharded_state); add it to the template or leave the template out");
    }
    return Optional.empty();
  }

  /** Variables the template uses that are not in {@link #VARIABLES}, sorted. */
  public static Set<String> unknownVariables(String template) {
    Set<String> unknown = new TreeSet<>();
    Matcher m = VARIABLE.matcher(template == null ? "" : template);
    while (m.find()) {
      if (!VARIABLES.contains(m.group(1))) {
        unknown.add(m.group(1));
      }
    }
    return unknown;
  }

  /**
   * The argument list. A value may expand to several words only through {@code {loader}} and
   * {@code {java}}, whose values are given as space-free words joined by '\u0000'.
   *
   * @throws IllegalArgumentException for a variable without a value
   */
  public static List<String> render(String template, Map<String, String> values) {
    List<String> args = new ArrayList<>();
    for (String word : template.trim().split("\\s+")) {
      Matcher whole = VARIABLE.matcher(word);
      if (whole.matches()) {
        String value = value(values, whole.group(1));
        for (String part : value.split("\u0000")) {
          if (!part.isEmpty()) {
            args.add(part);
          }
        }
        continue;
      }
      Matcher m = VARIABLE.matcher(word);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(value(values, m.group(1)).replace('\u0000', ' ')));
      }
      m.appendTail(out);
      args.add(out.toString());
    }
    return args;
  }

  private static String value(Map<String, String> values, String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("command template variable {" + name + "} has no value; known: "
          + new TreeSet<>(values.keySet()));
    }
    return value;
  }
}
