package io.novacron.host.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real HTTP server on 127.0.0.1 into a real directory. */
class ImageDownloaderTest {
  private static final List<String> ALLOWED = List.of("127.0.0.1");

  @TempDir Path library;
  private HttpServer server;
  private byte[] image;
  private String sha256;
  private final ImageDownloader downloader = new ImageDownloader();

  @BeforeEach
  void serve() throws Exception {
    image = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(image);
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
    byte[] corrupted = image.clone();
    corrupted[1000] ^= 1;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/good.qcow2", exchange -> send(exchange, 200, image));
    server.createContext("/corrupted.qcow2", exchange -> send(exchange, 200, corrupted));
    server.createContext("/moved.qcow2", exchange -> {
      exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data");
      send(exchange, 302, new byte[0]);
    });
    server.start();
  }

  private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private Path target() {
    return library.resolve("debian-12").resolve("disk.qcow2");
  }

  /** Every file left in the image's directory, partial files included. */
  private List<Path> leftovers() throws IOException {
    if (!Files.isDirectory(target().getParent())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(target().getParent())) {
      return files.toList();
    }
  }

  @Test
  void anImageWithTheRegisteredDigestLandsWithItsBytes() throws Exception {
    long[] progress = {0};
    downloader.download(url("/good.qcow2"), ALLOWED, image.length, sha256, target(), n -> progress[0] = n);

    assertThat(Files.readAllBytes(target())).isEqualTo(image);
    assertThat(leftovers()).containsExactly(target());
    assertThat(progress[0]).isEqualTo(image.length);
    assertThat(new ImageLibrary(library).find("debian-12")).hasValueSatisfying(
        base -> assertThat(base.disk()).isEqualTo(target().toAbsolutePath()));
  }

  @Test
  void aCorruptedBodyIsRefusedAndLeavesNoFile() {
    assertThatThrownBy(() -> downloader.download(url("/corrupted.qcow2"), ALLOWED, 0, sha256, target(), n -> {}))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("registered " + sha256)
        .hasMessageContaining("nothing landed");
    assertThat(target()).doesNotExist();
    assertThat(target().getParent().toFile().list()).isEmpty();
  }

  @Test
  void aHostNotAllowedIsRefusedBeforeAnyConnection() throws Exception {
    assertThatThrownBy(() -> downloader.download(url("/good.qcow2"), List.of("images.example.org"), 0, sha256,
        target(), n -> {}))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("'127.0.0.1' is not allowed");
    assertThatThrownBy(() -> downloader.download(url("/good.qcow2"), List.of(), 0, sha256, target(), n -> {}))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("novacron.images.allowed-url-hosts");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aBodyLargerThanRegisteredIsRefusedAndLeavesNoFile() throws Exception {
    assertThatThrownBy(() -> downloader.download(url("/good.qcow2"), ALLOWED, 1024 * 1024, sha256, target(), n -> {}))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("1048576");
    assertThat(target()).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    assertThatThrownBy(() -> downloader.download(url("/moved.qcow2"), ALLOWED, 0, sha256, target(), n -> {}))
        .isInstanceOf(ImageRefusedException.class)
        .hasMessageContaining("HTTP 302")
        .hasMessageContaining("redirects are not followed");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aCappedStreamWithoutContentLengthIsStillCutAtTheCap() throws Exception {
    // ImageLanding alone: the cap holds even when no Content-Length announced the size.
    assertThatThrownBy(() -> ImageLanding.land(new java.io.ByteArrayInputStream(image), image.length - 1, sha256,
        target(), n -> {}))
        .isInstanceOf(ImageRefusedException.class);
    assertThat(leftovers()).isEmpty();
  }
}
