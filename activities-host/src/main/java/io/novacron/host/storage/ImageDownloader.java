package io.novacron.host.storage;

import io.novacron.workflows.image.ImageRegistrationValidator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Downloads an image over http(s) into the library, verified ({@link ImageLanding}). The URL is
 * untrusted input even after the control plane checked it: the host must be in the allowlist the
 * workflow passed, and redirects are not followed (a redirect could lead to any address,
 * including one inside the operator's network that the allowlist keeps out).
 */
public final class ImageDownloader {
  /** The cap when the registration gives no size: larger than any cloud image, far below a disk. */
  public static final long DEFAULT_MAX_BYTES = 64L << 30;

  private final HttpClient http;

  public ImageDownloader() {
    this(HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(15))
        .build());
  }

  ImageDownloader(HttpClient http) {
    this.http = http;
  }

  /**
   * @param url where the image is
   * @param allowedHosts hosts the operator allows (lower case)
   * @param maxBytes the registered size, or 0 for {@link #DEFAULT_MAX_BYTES}
   * @param sha256 the registered digest
   * @param target where it lands
   * @throws ImageRefusedException a host not allowed, an HTTP status other than 200, too many
   *     bytes or another digest; nothing landed
   */
  public void download(String url, List<String> allowedHosts, long maxBytes, String sha256, Path target,
      LongConsumer progress) throws IOException, InterruptedException, ImageRefusedException {
    String refusal = ImageRegistrationValidator.urlRefusal(url, allowedHosts == null ? List.of() : allowedHosts);
    if (refusal != null) {
      throw new ImageRefusedException("will not download " + url + ": " + refusal);
    }
    // The shared rule parsed the string by hand; the address connected to is what java.net.URI
    // reads, so that is checked too: a parser disagreement must refuse, never reach another host.
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ImageRefusedException("will not download " + url + ": " + e.getMessage());
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null
        || !allowedHosts.contains(uri.getHost().toLowerCase(java.util.Locale.ROOT))) {
      throw new ImageRefusedException("will not download " + url + ": its host is not one the operator allowed");
    }
    HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new ImageRefusedException(url + " answered HTTP " + response.statusCode()
            + (response.statusCode() / 100 == 3 ? " (redirects are not followed: register the final URL)" : ""));
      }
      long cap = maxBytes > 0 ? maxBytes : DEFAULT_MAX_BYTES;
      long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (announced > cap) {
        throw new ImageRefusedException(url + " announces " + announced + " bytes, more than the " + cap + " allowed");
      }
      ImageLanding.land(body, cap, sha256, target, progress);
    }
  }
}
