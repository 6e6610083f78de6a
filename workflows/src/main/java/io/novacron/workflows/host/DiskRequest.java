package io.novacron.workflows.host;

/**
 * A VM's root disk.
 *
 * @param vmName owner VM; the volume is named after it
 * @param sizeGib virtual size
 * @param image base image from the node's library to back the disk, or null for an empty disk
 */
public record DiskRequest(String vmName, long sizeGib, String image) {}
