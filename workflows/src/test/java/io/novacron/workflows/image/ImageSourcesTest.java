package io.novacron.workflows.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSourcesTest {
  private static final String SHA = "0".repeat(64);
  private static final List<String> ALLOWED = List.of("images.example.org");
  private static final RegisteredImage BY_URL =
      new RegisteredImage("deb", "qcow2", SHA, 1024L, "https://images.example.org/deb.qcow2", null, null);
  private static final RegisteredImage BY_FILE =
      new RegisteredImage("deb", "raw", SHA, null, null, "node-c", "/srv/deb.img");

  @Test
  void aNodeThatHoldsTheImageNeedsNothing() {
    assertThat(ImageSources.decide("deb", "node-a", BY_URL, List.of("node-a", "node-b"), ALLOWED).kind())
        .isEqualTo(ImageSource.Kind.LOCAL);
    assertThat(ImageSources.decide(null, "node-a", null, List.of(), ALLOWED).kind()).isEqualTo(ImageSource.Kind.LOCAL);
  }

  @Test
  void anUnregisteredImageTheNodeLacksIsRefusedWithTheWayOut() {
    ImageSource source = ImageSources.decide("deb", "node-a", null, List.of("node-b"), ALLOWED);
    assertThat(source.kind()).isEqualTo(ImageSource.Kind.REFUSE);
    assertThat(source.refusal()).contains("not registered").contains("POST /api/v1/images");
  }

  @Test
  void aPeerThatHoldsTheImageIsPreferredOverTheUrlAndCarriesTheRegisteredDigest() {
    ImageSource source = ImageSources.decide("deb", "node-a", BY_URL, List.of("node-b", "node-c"), ALLOWED);
    assertThat(source.kind()).isEqualTo(ImageSource.Kind.PEER);
    assertThat(source.node()).isEqualTo("node-b");
    assertThat(source.sha256()).isEqualTo(SHA);
    assertThat(source.sizeBytes()).isEqualTo(1024L);
    assertThat(source.relativeDisk()).isEqualTo("images/deb/disk.qcow2");
  }

  @Test
  void withNoHolderTheNodeDownloadsTheUrlWhileItsHostIsAllowed() {
    ImageSource source = ImageSources.decide("deb", "node-a", BY_URL, List.of(), ALLOWED);
    assertThat(source.kind()).isEqualTo(ImageSource.Kind.URL);
    assertThat(source.url()).isEqualTo(BY_URL.url());
    assertThat(source.allowedHosts()).containsExactly("images.example.org");

    ImageSource narrowed = ImageSources.decide("deb", "node-a", BY_URL, List.of(), List.of("other.example.org"));
    assertThat(narrowed.kind()).isEqualTo(ImageSource.Kind.REFUSE);
    assertThat(narrowed.refusal()).contains("images.example.org").contains("not allowed");
  }

  @Test
  void aRegisteredFileIsImportedOnItsNodeFirstAndAPeerIsPreferredElsewhere() {
    ImageSource here = ImageSources.decide("deb", "node-c", BY_FILE, List.of("node-b"), ALLOWED);
    assertThat(here.kind()).isEqualTo(ImageSource.Kind.IMPORT);
    assertThat(here.node()).isEqualTo("node-c");
    assertThat(here.path()).isEqualTo("/srv/deb.img");
    assertThat(here.relativeDisk()).isEqualTo("images/deb/disk.raw");

    assertThat(ImageSources.decide("deb", "node-a", BY_FILE, List.of("node-b"), ALLOWED).kind())
        .isEqualTo(ImageSource.Kind.PEER);
    ImageSource there = ImageSources.decide("deb", "node-a", BY_FILE, List.of(), ALLOWED);
    assertThat(there.kind()).isEqualTo(ImageSource.Kind.IMPORT);
    assertThat(there.node()).isEqualTo("node-c");
  }
}
