package io.novacron.workflows.node;

import io.temporal.activity.ActivityInterface;

/** Projects what nodes announce into the inventory database. Implemented by the control plane. */
@ActivityInterface(namePrefix = "Inventory.")
public interface InventoryActivities {
  /** Inserts or updates the node's host facts and marks it seen now. Idempotent. */
  void recordNode(NodeFacts facts);

  /** Inserts or updates the node's GPU inventory and marks it seen now. Idempotent. */
  void recordGpus(GpuInventory inventory);

  /**
   * Records a VM that now exists, and binds the run's capacity reservation to it so that the
   * capacity stays held for as long as the VM exists. Idempotent.
   */
  void recordVm(VmRecord vm);

  /**
   * Records that a VM now runs on {@code toNode} with its disk at {@code diskPath}, and moves the
   * capacity it holds there with it. Idempotent; a VM the inventory does not know (defined outside
   * NovaCron) is left unknown.
   */
  void moveVm(String vmName, String toNode, String diskPath);

  /** The node the inventory has the VM on; null for a VM it does not know. */
  String vmNode(String vmName);

  /**
   * Why {@code targetNode} cannot take the VM, or null when it can, by the placement rules: the
   * node has announced itself recently, holds the VM's image, and has the VM's memory, vCPUs and
   * disk free. A node nobody announced is refused; a VM the inventory does not know (made outside
   * NovaCron) is not, since its size is unknown: the agents' own checks then decide.
   */
  String migrationTargetRefusal(String vmName, String targetNode);

  /**
   * Where {@code targetNode} gets the VM's base image before a move (a registered image it does
   * not hold yet), or null when it holds it, the VM has none or the inventory does not know the
   * VM. A source of kind REFUSE says why the image cannot be had there.
   */
  io.novacron.workflows.image.ImageSource migrationImageSource(String vmName, String targetNode);

  /**
   * Checks {@code targetNode} as {@link #migrationTargetRefusal} does and, when it can take the VM,
   * holds the VM's vCPUs, memory and disk there for the run, atomically with the check: two moves
   * racing to one node cannot both pass on the same free capacity. Returns the refusal, or null
   * once the capacity is held. Idempotent per run: a retry finds its own hold and returns null. A
   * VM the inventory does not know is not refused and holds nothing.
   */
  String reserveMigrationTarget(String runId, String vmName, String targetNode);

  /**
   * Drops the run's hold on its target, whatever the outcome: on success the VM's own capacity
   * has moved there with {@link #moveVm}. Idempotent. A hold nobody releases (a terminated
   * workflow) stops counting once no run of that age can still be alive.
   */
  void releaseMigrationTarget(String runId);
}
