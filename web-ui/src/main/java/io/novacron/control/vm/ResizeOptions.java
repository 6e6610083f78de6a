package io.novacron.control.vm;

/**
 * The body of {@code POST /api/v1/vms/{name}/resize}: the new size, each field optional (at least
 * one), each left out keeping what the VM has.
 *
 * @param vcpus virtual CPUs, 1 to 64
 * @param memoryMib memory in MiB, 64 to 1048576
 * @param diskGib root disk in GiB, at least its current size, up to 16384
 */
record ResizeOptions(Integer vcpus, Long memoryMib, Long diskGib) {}
