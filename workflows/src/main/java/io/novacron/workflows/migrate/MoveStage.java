package io.novacron.workflows.migrate;

/**
 * How far a move got: what a settlement needs to know besides the two nodes' state, because
 * libvirt cannot tell who stopped a guest or whether a target ever received one.
 *
 * @param mode live, warm or cold
 * @param uuid the VM's domain UUID: a domain of the VM's name with another UUID is not the VM
 * @param sourceFrozen live pre-copy put an overlay on the source's disk (merged back on rollback)
 * @param sourceStopped the run shut the guest down (cold) or saved it (warm) on the source
 * @param handedOver the run gave the target the guest: started the live migration, restored the
 *     saved state (warm) or defined the domain (cold)
 */
public record MoveStage(
    MigrationMode mode, String uuid, boolean sourceFrozen, boolean sourceStopped, boolean handedOver) {
  public static MoveStage start(MigrationMode mode, String uuid) {
    return new MoveStage(mode, uuid, false, false, false);
  }

  public MoveStage frozen() {
    return new MoveStage(mode, uuid, true, sourceStopped, handedOver);
  }

  public MoveStage stopped() {
    return new MoveStage(mode, uuid, sourceFrozen, true, handedOver);
  }

  public MoveStage handOver() {
    return new MoveStage(mode, uuid, sourceFrozen, sourceStopped, true);
  }
}
