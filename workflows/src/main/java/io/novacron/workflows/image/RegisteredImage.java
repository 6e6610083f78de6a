package io.novacron.workflows.image;

/**
 * An image of the control plane's registry, as the source decision reads it.
 *
 * @param name image name
 * @param format {@code qcow2} or {@code raw}
 * @param sha256 registered SHA-256
 * @param sizeBytes registered size, or null when unknown
 * @param url source URL, or null
 * @param node node holding the registered file, or null
 * @param path the registered file on {@code node}, or null
 */
public record RegisteredImage(
    String name, String format, String sha256, Long sizeBytes, String url, String node, String path) {}
