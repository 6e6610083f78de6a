package io.novacron.workflows.image;

/**
 * A base image as an operator registers it ({@code POST /api/v1/images}): its name, format and
 * SHA-256, and where its bytes come from: an http(s) URL, or a file on one node.
 *
 * @param name the image name (what a VM request's {@code image} names), as {@code Names.IMAGE}
 * @param format {@code qcow2} or {@code raw}
 * @param sha256 SHA-256 of the image file, 64 lower-case hex digits
 * @param sizeBytes the file's size in bytes when known (a download longer than this is refused);
 *     null when unknown
 * @param url where a node downloads it: http or https, on a host the operator allowed; null when
 *     the image comes from a node's file
 * @param node the node that holds the file at {@code path}; null with a URL
 * @param path absolute path of the file on {@code node}; its agent verifies and imports it on
 *     first use
 */
public record ImageRegistration(
    String name, String format, String sha256, Long sizeBytes, String url, String node, String path) {

  /** Whether the bytes come from a URL (else from a node's file). */
  public boolean fromUrl() {
    return url != null && !url.isBlank();
  }
}
