package io.novacron.host.storage;

import io.novacron.workflows.image.ImageFiles;
import java.nio.file.Path;

/**
 * A base image in a node's library: a directory {@code <images>/<name>/} holding any of
 * {@code disk.qcow2} or {@code disk.raw} (a disk to back VM disks with), {@code vmlinuz} + {@code initrd.img} +
 * {@code cmdline} (direct kernel boot), and {@code ready} (the console line the guest prints when
 * it has booted).
 *
 * @param name image name
 * @param disk backing disk, or null
 * @param kernel kernel for direct boot, or null
 * @param initrd initramfs for direct boot, or null
 * @param cmdline kernel command line, or null
 * @param readyLine console line that proves the guest booted, or null
 */
public record BaseImage(
    String name, Path disk, Path kernel, Path initrd, String cmdline, String readyLine) {
  /** The format of a base image's disk by its file name: {@code raw} for {@code disk.raw}, else {@code qcow2}. */
  public static String formatOf(Path disk) {
    return disk.getFileName().toString().endsWith(".raw") ? ImageFiles.RAW : ImageFiles.QCOW2;
  }

  public boolean bootsKernelDirectly() {
    return kernel != null;
  }
}
