package io.novacron.workflows.resize;

/**
 * What a VM holds on its node, or how much more a resize needs there.
 *
 * @param vcpus virtual CPUs
 * @param memoryMib memory in MiB
 * @param diskGib root disk in GiB
 */
public record VmSize(int vcpus, long memoryMib, long diskGib) {
  /** Whether any of the three is above zero: a growth that needs capacity held. */
  public boolean anyPositive() {
    return vcpus > 0 || memoryMib > 0 || diskGib > 0;
  }

  /** E.g. {@code 2 vCPUs, 512 MiB, 4 GiB}. */
  @Override
  public String toString() {
    return vcpus + " vCPUs, " + memoryMib + " MiB, " + diskGib + " GiB";
  }
}
