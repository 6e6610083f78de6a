package io.novacron.workflows.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.novacron.workflows.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageRegistrationValidatorTest {
  private static final String SHA = "0123456789abcdef".repeat(4);
  private static final List<String> ALLOWED = List.of("images.example.org");

  private static List<String> fields(ImageRegistration r, List<String> allowed) {
    return ImageRegistrationValidator.validate(r, allowed).stream().map(FieldError::field).toList();
  }

  private static String message(ImageRegistration r, List<String> allowed, String field) {
    return ImageRegistrationValidator.validate(r, allowed).stream().filter(e -> e.field().equals(field))
        .findFirst().orElseThrow().message();
  }

  @Test
  void aUrlOnAnAllowedHostAndAnAbsoluteNodeFileAreAccepted() {
    assertThat(fields(new ImageRegistration("debian-12", "qcow2", SHA, 1L, "https://images.example.org/d.qcow2",
        null, null), ALLOWED)).isEmpty();
    assertThat(fields(new ImageRegistration("debian-12", "raw", SHA, null, null, "node-a", "/srv/d.img"), List.of()))
        .isEmpty();
  }

  @Test
  void badNameDigestAndFormatAreEachNamed() {
    ImageRegistration r = new ImageRegistration("Debian/12", "vmdk", SHA.toUpperCase(), null, null, "node-a", "/x");
    assertThat(fields(r, ALLOWED)).containsExactly("name", "format", "sha256");
    assertThat(message(r, ALLOWED, "format")).contains("qcow2 or raw");
    assertThat(message(r, ALLOWED, "sha256")).contains("64 lower-case hex");
  }

  @Test
  void urlsAreRefusedUntilAnOperatorAllowsTheirHostAndTheRefusalSaysHow() {
    ImageRegistration r = new ImageRegistration("d", "qcow2", SHA, null, "https://images.example.org/d.qcow2", null, null);
    assertThat(message(r, List.of(), "url")).contains("novacron.images.allowed-url-hosts=images.example.org");
    ImageRegistration other = new ImageRegistration("d", "qcow2", SHA, null, "http://evil.example.com/d", null, null);
    assertThat(message(other, ALLOWED, "url")).contains("'evil.example.com' is not allowed");
    ImageRegistration ftp = new ImageRegistration("d", "qcow2", SHA, null, "ftp://images.example.org/d", null, null);
    assertThat(message(ftp, ALLOWED, "url")).contains("not an http or https URL");
    ImageRegistration creds = new ImageRegistration("d", "qcow2", SHA, null, "https://u:p@images.example.org/d", null, null);
    assertThat(fields(creds, ALLOWED)).containsExactly("url");
  }

  @Test
  void aNodeFileNeedsAnAbsolutePathAndAKnownNodeNameAndOnlyOneSource() {
    assertThat(message(new ImageRegistration("d", "raw", SHA, null, null, "node-a", "srv/d.img"), ALLOWED, "path"))
        .contains("absolute path");
    assertThat(fields(new ImageRegistration("d", "raw", SHA, null, null, "node-a", "/srv/../etc/shadow"), ALLOWED))
        .containsExactly("path");
    assertThat(fields(new ImageRegistration("d", "raw", SHA, null, null, "Node A", "/srv/d"), ALLOWED))
        .containsExactly("node");
    assertThat(fields(new ImageRegistration("d", "raw", SHA, null, "https://images.example.org/d", "node-a", "/d"),
        ALLOWED)).containsExactly("url");
    assertThat(fields(new ImageRegistration("d", "raw", SHA, null, null, null, null), ALLOWED))
        .containsExactly("source");
    assertThat(fields(new ImageRegistration("d", "raw", SHA, 0L, null, "node-a", "/d"), ALLOWED))
        .containsExactly("sizeBytes");
    assertThat(fields(null, ALLOWED)).containsExactly("body");
  }
}
