package io.novacron.workflows.image;

import java.util.List;

/**
 * Where a node gets a base image it lacks, as {@link ImageSources#decide} chose: the answer of
 * placement (and of a migration's target check), the input of {@link ImageEnsurer} and of the
 * agent's image activities.
 *
 * @param kind what the node does
 * @param image the image name
 * @param format {@code qcow2} or {@code raw}
 * @param sha256 the registered SHA-256: what lands must hash to it
 * @param sizeBytes the registered size, or 0 when unknown
 * @param node {@link Kind#PEER}: the node that sends its copy; {@link Kind#IMPORT}: the node whose
 *     agent imports the registered file
 * @param url {@link Kind#URL}: where the target node downloads it
 * @param path {@link Kind#IMPORT}: the registered file on {@code node}
 * @param allowedHosts {@link Kind#URL}: the hosts the operator allows now (the agent checks again)
 * @param refusal {@link Kind#REFUSE}: why the node cannot get it
 */
public record ImageSource(
    Kind kind, String image, String format, String sha256, long sizeBytes, String node, String url,
    String path, List<String> allowedHosts, String refusal) {

  /** What the node does to hold the image. */
  public enum Kind {
    /** Nothing: the node holds it (or the VM has no image). */
    LOCAL,
    /** Pull it from another node's library with the transfer engine. */
    PEER,
    /** Import it from the registered file on {@code node}, then (when that is not the target) pull it from there. */
    IMPORT,
    /** Download it from the registered URL. */
    URL,
    /** It cannot be had. */
    REFUSE
  }

  /** The image's disk relative to an agent's data directory. */
  public String relativeDisk() {
    return ImageFiles.relativeDisk(image, format);
  }
}
