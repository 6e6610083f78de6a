package io.novacron.workflows.provision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Node selectors: a VM label {@code node.novacron.io/<key>=<value>} asks for a node whose own label
 * {@code <key>} is {@code <value>} (e.g. {@code node.novacron.io/zone=rack-2} needs a node labelled
 * {@code zone=rack-2}). Every selector of the VM must match. Pure; placement, migration targets,
 * drains and rebalances all apply it through {@link PlacementPolicy#refusal}.
 */
public final class NodeSelector {
  /** The prefix that makes a VM label a node selector. */
  public static final String PREFIX = "node.novacron.io/";

  private NodeSelector() {}

  /** The node labels {@code vmLabels} ask for, by key. */
  public static Map<String, String> wanted(Map<String, String> vmLabels) {
    Map<String, String> wanted = new TreeMap<>();
    if (vmLabels != null) {
      vmLabels.forEach((key, value) -> {
        if (key.startsWith(PREFIX) && key.length() > PREFIX.length()) {
          wanted.put(key.substring(PREFIX.length()), value);
        }
      });
    }
    return wanted;
  }

  /** Why a node labelled {@code nodeLabels} does not match the VM's selectors, or null when it does. */
  public static String refusal(Map<String, String> vmLabels, Map<String, String> nodeLabels) {
    List<String> missing = new ArrayList<>();
    wanted(vmLabels).forEach((key, value) -> {
      String has = nodeLabels == null ? null : nodeLabels.get(key);
      if (!value.equals(has)) {
        missing.add(key + "=" + value + (has == null ? " (it has no label " + key + ")" : " (it has " + key + "=" + has + ")"));
      }
    });
    return missing.isEmpty() ? null : "node selector " + String.join(", ", missing.stream().map(m -> PREFIX + m).toList())
        + " does not match; label the node (novacron node label NODE K=V) or change the VM's label";
  }
}
