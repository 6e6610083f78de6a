package io.novacron.host.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few {@code qemu-img} questions and edits the agent needs outside libvirt's pools. */
public final class QemuImg {
  private static final Pattern VIRTUAL_SIZE = Pattern.compile("\"virtual-size\":\\s*(\\d+)");
  private static final Pattern BACKING = Pattern.compile("\"backing-filename\":\\s*\"([^\"]+)\"");

  private QemuImg() {}

  /** The virtual size of an image, from {@code qemu-img info}. */
  public static long virtualSize(String path) throws IOException, InterruptedException {
    Matcher m = VIRTUAL_SIZE.matcher(info(path));
    if (!m.find()) {
      throw new IOException("qemu-img info " + path + ": no virtual-size");
    }
    return Long.parseLong(m.group(1));
  }

  /** The backing file an image's header names, or null. */
  public static String backingFile(String path) throws IOException, InterruptedException {
    Matcher m = BACKING.matcher(info(path));
    return m.find() ? m.group(1) : null;
  }

  /** Points the image's header at another backing file with the same contents. */
  public static void rebaseUnsafe(String path, String backing) throws IOException, InterruptedException {
    run("qemu-img", "rebase", "-u", "-F", BaseImage.formatOf(java.nio.file.Path.of(backing)), "-b", backing, path);
  }

  /**
   * Copies an image's contents, its backing chain flattened, into an existing qcow2 volume
   * ({@code -n}: the volume's pool made it and owns it), so the copy depends on no other image.
   */
  public static void convertInto(String source, String target) throws IOException, InterruptedException {
    run("qemu-img", "convert", "-n", "-O", "qcow2", source, target);
  }

  /**
   * Grows an image to {@code sizeBytes} of virtual size. qemu-img takes the image's write lock, so
   * it refuses an image a running QEMU has open.
   */
  public static void grow(String path, long sizeBytes) throws IOException, InterruptedException {
    run("qemu-img", "resize", "-f", "qcow2", path, Long.toString(sizeBytes));
  }

  private static String info(String path) throws IOException, InterruptedException {
    // -U: the image may be open in a running QEMU.
    return run("qemu-img", "info", "-U", "--output=json", path);
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + ": " + out.strip());
    }
    return out;
  }
}
