package io.novacron.workflows.migrate;

/**
 * A VM's memory and device state, saved to a file by the source's libvirt (warm mode).
 *
 * @param path the file on the node that saved it, inside that agent's data directory
 * @param sizeBytes its size
 */
public record SavedState(String path, long sizeBytes) {}
