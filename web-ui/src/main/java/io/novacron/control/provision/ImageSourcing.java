package io.novacron.control.provision;

import io.novacron.control.image.ImageCatalog;
import io.novacron.control.image.ImageUrlAllowlist;
import io.novacron.workflows.image.ImageSource;
import io.novacron.workflows.image.ImageSources;
import io.novacron.workflows.provision.NodeCapacity;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Where a node gets a VM's base image: reads the registry, the fresh nodes that hold the image and
 * the allowlist, and lets {@link ImageSources#decide} choose. For placement and for a migration's
 * target check.
 */
@Component
public class ImageSourcing {
  private final ImageCatalog catalog;
  private final ImageUrlAllowlist allowlist;
  private final NodeCapacities capacities;
  private final Clock clock;

  ImageSourcing(ImageCatalog catalog, ImageUrlAllowlist allowlist, NodeCapacities capacities, Clock clock) {
    this.catalog = catalog;
    this.allowlist = allowlist;
    this.capacities = capacities;
    this.clock = clock;
  }

  /** The source for {@code image} on {@code node}, never null; {@link ImageSource.Kind#LOCAL} when it holds it. */
  public ImageSource sourceFor(String image, String node) {
    if (image == null) {
      return ImageSources.decide(null, node, null, List.of(), List.of());
    }
    long now = clock.millis();
    // Only a fresh node can send its copy; a stale one would fail the pull at schedule-to-start.
    List<String> holders = capacities.read(null).stream()
        .filter(n -> !n.isStale(now) && n.images() != null && n.images().contains(image))
        .map(NodeCapacity::node)
        .toList();
    return ImageSources.decide(image, node, catalog.registered(image).orElse(null), holders, allowlist.hosts());
  }
}
