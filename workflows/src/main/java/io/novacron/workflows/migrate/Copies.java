package io.novacron.workflows.migrate;

/**
 * Both nodes' answer about a VM at one moment: a probe, or why there is none.
 *
 * @param sourceNode the node the VM moves from
 * @param source what the source holds; null when it did not answer
 * @param sourceUnknown why the source did not answer (its agent or libvirtd is down); null when
 *     it did
 * @param targetNode the node the VM moves to
 * @param target what the target holds; null when it did not answer
 * @param targetUnknown why the target did not answer; null when it did
 */
public record Copies(
    String sourceNode, DomainProbe source, String sourceUnknown,
    String targetNode, DomainProbe target, String targetUnknown) {

  public boolean known() {
    return source != null && target != null;
  }

  /** {@code lab-a running, lab-b absent}: each node's state, or what is unknown about it. */
  public String describe() {
    return side(sourceNode, source, sourceUnknown) + ", " + side(targetNode, target, targetUnknown);
  }

  private static String side(String node, DomainProbe probe, String unknown) {
    return node + " " + (probe != null ? probe.describe() : "unknown (" + unknown + ")");
  }
}
