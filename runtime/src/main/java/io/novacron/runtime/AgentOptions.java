package io.novacron.runtime;

import io.novacron.workflows.Names;
import java.util.HashMap;
import java.util.Map;

/**
 * Options of an agent process: {@code --key=value} arguments, falling back to {@code NOVACRON_KEY}
 * environment variables (dashes become underscores), falling back to a default. Shared by every
 * agent so that they are configured the same way.
 */
public final class AgentOptions {

  private final Map<String, String> arguments;
  private final Map<String, String> environment;

  private AgentOptions(Map<String, String> arguments, Map<String, String> environment) {
    this.arguments = arguments;
    this.environment = environment;
  }

  /**
   * @throws IllegalArgumentException for an argument not of the form {@code --key=value}
   */
  public static AgentOptions parse(String[] args, Map<String, String> environment) {
    Map<String, String> arguments = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 3) {
        throw new IllegalArgumentException("unknown argument '" + arg + "': use --key=value, e.g. --node=node-1");
      }
      arguments.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    return new AgentOptions(arguments, environment);
  }

  public String get(String key, String fallback) {
    String fromArgs = arguments.get(key);
    if (fromArgs != null) {
      return fromArgs;
    }
    String fromEnv = environment.get("NOVACRON_" + key.toUpperCase().replace('-', '_'));
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : fallback;
  }

  /** The node name: required, lower-case letters, digits and '-'. */
  public String node() {
    String node = get("node", null);
    if (node == null || !Names.NAME.matcher(node).matches()) {
      throw new IllegalArgumentException(
          "--node (or NOVACRON_NODE) must be a node name of lower-case letters, digits and '-', was " + node);
    }
    return node;
  }

  /** A whole number of seconds, at least 1. */
  public int seconds(String key, int fallback) {
    String value = get(key, String.valueOf(fallback));
    try {
      int seconds = Integer.parseInt(value);
      if (seconds >= 1) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--" + key + " must be a whole number of seconds, at least 1, was " + value);
  }

  public String temporalTarget() {
    return get("temporal", TemporalConnection.DEFAULT_TARGET);
  }

  public String namespace() {
    return get("namespace", TemporalConnection.DEFAULT_NAMESPACE);
  }
}
