package io.novacron.workflows.migrate;

/**
 * A running VM's root disk split for pre-copy: the guest now writes to {@code overlayPath}, so the
 * image at {@code basePath} no longer changes and can be copied while the guest runs.
 *
 * @param basePath the former root disk, now read-only under the overlay
 * @param overlayPath the new top image the guest writes to
 * @param baseBytes the base image file's size (what a copy of it reads)
 */
public record FrozenDisk(String basePath, String overlayPath, long baseBytes) {}
