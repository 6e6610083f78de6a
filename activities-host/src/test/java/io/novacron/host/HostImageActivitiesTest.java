package io.novacron.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.novacron.host.storage.BaseImage;
import io.novacron.host.storage.ImageDownloader;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.image.ImageSource;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importing a registered node file into a real image library directory. */
class HostImageActivitiesTest {
  @TempDir Path data;

  private ImageSource importing(Path file, String format, String sha256) {
    return new ImageSource(ImageSource.Kind.IMPORT, "deb", format, sha256, 0, "node-a", null, file.toString(), null, null);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void aRegisteredRawFileIsCopiedIntoTheLibraryAndStaysRaw() throws Exception {
    byte[] bytes = "raw disk bytes".getBytes();
    Path file = Files.write(data.resolve("deb.img"), bytes);
    ImageLibrary library = new ImageLibrary(data.resolve("images"));

    new HostImageActivities(library, new ImageDownloader()).importFile(importing(file, "raw", sha256(bytes)));

    BaseImage image = library.find("deb").orElseThrow();
    assertThat(image.disk().getFileName()).hasToString("disk.raw");
    assertThat(BaseImage.formatOf(image.disk())).isEqualTo("raw");
    assertThat(Files.readAllBytes(image.disk())).isEqualTo(bytes);
    assertThat(Files.isSameFile(image.disk(), file)).as("a copy, not a link").isFalse();
    assertThat(library.names()).containsExactly("deb");
  }

  @Test
  void aFileWithAnotherDigestIsRefusedNonRetryablyAndNothingLands() throws Exception {
    Path file = Files.write(data.resolve("deb.qcow2"), "tampered".getBytes());
    ImageLibrary library = new ImageLibrary(data.resolve("images"));

    assertThatThrownBy(() -> new HostImageActivities(library, new ImageDownloader())
        .importFile(importing(file, "qcow2", "0".repeat(64))))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(FailureTypes.IMAGE_VERIFY_FAILED);
          assertThat(failure.isNonRetryable()).isTrue();
        });
    assertThat(library.find("deb")).isEmpty();
    assertThat(data.resolve("images/deb").toFile().list()).isEmpty();
  }

  @Test
  void aMissingFileIsRefusedNamingIt() {
    ImageLibrary library = new ImageLibrary(data.resolve("images"));
    assertThatThrownBy(() -> new HostImageActivities(library, new ImageDownloader())
        .importFile(importing(data.resolve("nope.img"), "raw", "0".repeat(64))))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("nope.img does not exist on this node");
  }
}
