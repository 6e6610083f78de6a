package io.novacron.workflows.migrate;

/**
 * The run record's line about where a VM runs at the end of a migration: the invariant is exactly
 * one running copy, and a line that says otherwise tells the operator which node to look at.
 */
public final class RunningCopies {
  private RunningCopies() {}

  /**
   * @param sourceState the VM's state on the source node as its agent reported it
   * @param targetState the same on the target node
   */
  public static String describe(String vm, String source, String sourceState, String target,
      String targetState) {
    boolean onSource = "running".equals(sourceState);
    boolean onTarget = "running".equals(targetState);
    if (onSource != onTarget) {
      return "exactly one running copy, on " + (onSource ? source : target);
    }
    return "ATTENTION: " + (onSource ? "two running copies" : "no running copy") + " of " + vm
        + " (" + source + ": " + sourceState + ", " + target + ": " + targetState + "); check both"
        + " nodes with virsh and stop or start " + vm + " so that exactly one runs";
  }
}
