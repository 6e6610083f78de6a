package io.novacron.control.image;

import io.novacron.workflows.image.ImageRegistrationValidator;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The hosts image URLs may name ({@code novacron.images.allowed-url-hosts}, comma-separated;
 * {@code NOVACRON_IMAGE_URL_HOSTS}). Empty by default: a control plane fetches no address an
 * operator did not allow, so until one is set images are registered by node and path.
 */
@Component
public class ImageUrlAllowlist {
  private final List<String> hosts;

  ImageUrlAllowlist(@Value("${" + ImageRegistrationValidator.ALLOWED_HOSTS_PROPERTY + ":}") String hosts) {
    this.hosts = Arrays.stream(hosts.split(",")).map(String::strip).filter(h -> !h.isEmpty())
        .map(h -> h.toLowerCase(Locale.ROOT)).distinct().toList();
  }

  /** The allowed hosts, lower case; empty when none is. */
  public List<String> hosts() {
    return hosts;
  }
}
