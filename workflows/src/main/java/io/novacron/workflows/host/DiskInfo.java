package io.novacron.workflows.host;

/**
 * A disk the host agent created.
 *
 * @param path the volume's path on the node
 * @param format image format, e.g. {@code qcow2}
 * @param capacityBytes virtual size
 */
public record DiskInfo(String path, String format, long capacityBytes) {}
