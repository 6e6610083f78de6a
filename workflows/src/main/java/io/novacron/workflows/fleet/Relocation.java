package io.novacron.workflows.fleet;

/** A planner's view of a VM once its planned move is done. */
final class Relocation {
  private Relocation() {}

  /** {@code vm} as it will be on {@code node}: everything else unchanged. */
  static VmLoad on(VmLoad vm, String node) {
    return new VmLoad(vm.name(), node, vm.state(), vm.vcpus(), vm.memoryMib(), vm.diskGib(), vm.image(),
        vm.networks(), vm.labels());
  }
}
