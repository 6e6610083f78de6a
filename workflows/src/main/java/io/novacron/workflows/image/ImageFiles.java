package io.novacron.workflows.image;

/**
 * Where a base image's disk lives in a node agent's data directory, once for the workflows (which
 * name it in transfers) and the agents (whose image library reads it): {@code images/<name>/disk.qcow2}
 * for qcow2 and {@code images/<name>/disk.raw} for raw. A raw image is kept raw, byte for byte as
 * registered, so that its registered SHA-256 stays true on every node that caches it; VM overlays
 * then name {@code raw} as their backing format.
 */
public final class ImageFiles {
  /** The image library's directory inside the agent's data directory. */
  public static final String LIBRARY_DIR = "images";

  public static final String QCOW2 = "qcow2";
  public static final String RAW = "raw";

  private ImageFiles() {}

  /** The disk's file name for a format ({@code qcow2} or {@code raw}). */
  public static String diskFile(String format) {
    return RAW.equals(format) ? "disk.raw" : "disk.qcow2";
  }

  /** The disk's path relative to the agent's data directory, as transfers name it. */
  public static String relativeDisk(String image, String format) {
    return LIBRARY_DIR + "/" + image + "/" + diskFile(format);
  }
}
