package io.novacron.control.image;

import java.time.Instant;
import java.util.List;

/**
 * A registered image as the API shows it.
 *
 * @param name image name
 * @param format {@code qcow2} or {@code raw}
 * @param sha256 the digest every copy must hash to
 * @param sizeBytes size in bytes when registered with one
 * @param url where a node downloads it, or null
 * @param node the node holding the registered file, or null
 * @param path the registered file on {@code node}, or null
 * @param createdAt when it was registered
 * @param nodes the nodes whose facts list it now (a node lists a pulled copy at its next
 *     announcement)
 * @param importRunId only in the answer to a new registration by node and path: the ImportImage
 *     run in which that node's agent verifies the file and copies it into its library
 */
public record ImageView(String name, String format, String sha256, Long sizeBytes, String url, String node,
    String path, Instant createdAt, List<String> nodes, String importRunId) {

  /** The same image with the run that imports it. */
  public ImageView withImportRun(String runId) {
    return new ImageView(name, format, sha256, sizeBytes, url, node, path, createdAt, nodes, runId);
  }
}
