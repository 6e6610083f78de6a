package io.novacron.workflows.migrate;

/**
 * Whether a live move pre-copies the root disk with the transfer engine before libvirt's live
 * migration, or leaves the disk to libvirt's storage mirror. Pure: workflow code decides with it.
 *
 * <p>The pre-copy pays where the mirror would send much: a disk holding data, or one on a base
 * image (the mirror sends the flattened chain, the base's data too, where the pre-copy sends only
 * the top image and the target rebases it onto its own base). It costs a freeze, a stream, an
 * overlay on both nodes and their merge, about a quarter of a second and six more workflow tasks
 * on an idle machine (docs/bench/migrate.md, third quiet round), which a disk that stands alone
 * and holds little never wins back: there the mirror alone is as fast as plain virsh.
 *
 * <p>Not under a bandwidth cap: libvirt's rate limit counts the mirror's whole virtual size, holes
 * included (a 1 GiB sparse disk takes 25 s at 40 MiB/s, LabFaultIT), where after a pre-copy it
 * mirrors only what the guest wrote meanwhile.
 */
public final class PrecopyPolicy {
  /**
   * Up to this much data in a disk that stands alone, libvirt's mirror sends the disk sooner than
   * the pre-copy's extra steps take (64 MiB: about half a second at 1 Gbit/s, inside the memory
   * copy's own time for any guest worth migrating live).
   */
  public static final long MIRROR_ONLY_MAX_BYTES = 64L << 20;

  private PrecopyPolicy() {}

  /**
   * @param asked the request's {@code precopyDisk} as sent: true or false decide, null leaves it to
   *     the disk
   * @param source the source's description of the VM
   * @param bandwidthMiBps the move's bandwidth cap, 0 for none
   * @return true to pre-copy; a disk the agent did not describe (allocation or chain unknown) is
   *     pre-copied, as every disk was before this policy
   */
  public static boolean precopy(Boolean asked, MigrationSource source, int bandwidthMiBps) {
    if (asked != null) {
      return asked;
    }
    boolean small = source.diskAllocatedBytes() != null && source.diskAllocatedBytes() <= MIRROR_ONLY_MAX_BYTES;
    return !(small && Boolean.TRUE.equals(source.diskStandsAlone()) && bandwidthMiBps <= 0);
  }
}
