package io.novacron.workflows.image;

import java.util.List;

/**
 * Decides where a node gets a base image. Pure: placement calls it inside its transaction, a
 * migration's target check calls it too, and unit tests call it without a database.
 *
 * <p>Order, cheapest first: the node holds it (nothing to do); it is not registered (refused: an
 * unregistered image has no digest to verify a copy against); the registered file is on this very
 * node (import it); another fresh node holds it (pull it over the transfer engine, verified against
 * the registered digest); the registered file is on another node (import it there, then pull);
 * the registered URL, while its host is still allowed (the node downloads it).
 */
public final class ImageSources {
  private ImageSources() {}

  /**
   * @param image the requested image, or null for an empty disk
   * @param target the node that needs it
   * @param registered the registry's entry, or null when the image is not registered
   * @param holders fresh nodes that announce the image, in a deterministic order (by name)
   * @param allowedHosts the hosts image URLs may name now
   */
  public static ImageSource decide(String image, String target, RegisteredImage registered,
      List<String> holders, List<String> allowedHosts) {
    if (image == null || holders.contains(target)) {
      return of(ImageSource.Kind.LOCAL, image, registered, null, null, null, null, null);
    }
    if (registered == null) {
      return of(ImageSource.Kind.REFUSE, image, null, null, null, null, null,
          "node " + target + " has no image '" + image + "' and it is not registered: register it"
              + " (POST /api/v1/images, `novacron image register`) or place the VM on a node that has it");
    }
    boolean nodeFile = registered.node() != null && registered.path() != null;
    if (nodeFile && registered.node().equals(target)) {
      return of(ImageSource.Kind.IMPORT, image, registered, target, null, registered.path(), null, null);
    }
    String peer = holders.stream().filter(n -> !n.equals(target)).findFirst().orElse(null);
    if (peer != null) {
      return of(ImageSource.Kind.PEER, image, registered, peer, null, null, null, null);
    }
    if (nodeFile) {
      return of(ImageSource.Kind.IMPORT, image, registered, registered.node(), null, registered.path(), null, null);
    }
    if (registered.url() != null) {
      String refusal = ImageRegistrationValidator.urlRefusal(registered.url(), allowedHosts);
      if (refusal != null) {
        return of(ImageSource.Kind.REFUSE, image, registered, null, null, null, null,
            "image '" + image + "' is held by no node and its URL cannot be fetched: " + refusal);
      }
      return of(ImageSource.Kind.URL, image, registered, null, registered.url(), null, List.copyOf(allowedHosts), null);
    }
    return of(ImageSource.Kind.REFUSE, image, registered, null, null, null, null,
        "image '" + image + "' is held by no node and has no URL to download it from");
  }

  private static ImageSource of(ImageSource.Kind kind, String image, RegisteredImage r, String node, String url,
      String path, List<String> allowedHosts, String refusal) {
    return new ImageSource(kind, image, r == null ? null : r.format(), r == null ? null : r.sha256(),
        r == null || r.sizeBytes() == null ? 0 : r.sizeBytes(), node, url, path, allowedHosts, refusal);
  }
}
