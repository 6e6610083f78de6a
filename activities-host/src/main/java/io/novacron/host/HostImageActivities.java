package io.novacron.host;

import io.novacron.host.storage.ImageDownloader;
import io.novacron.host.storage.ImageLanding;
import io.novacron.host.storage.ImageLibrary;
import io.novacron.host.storage.ImageRefusedException;
import io.novacron.workflows.FailureTypes;
import io.novacron.workflows.Names;
import io.novacron.workflows.image.ImageActivities;
import io.novacron.workflows.image.ImageFiles;
import io.novacron.workflows.image.ImageSource;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image library's activities on a host agent. An image whose file is already in the library
 * is not fetched again: only verified bytes ever land there ({@link ImageLanding}), so a retry
 * after the agent died mid-way starts over on a fresh partial file, and one after it finished
 * finds the image. A refusal is a non-retryable {@code ImageVerifyFailed}; I/O failures are
 * retried.
 */
public final class HostImageActivities implements ImageActivities {
  private static final Logger log = LoggerFactory.getLogger(HostImageActivities.class);

  private final ImageLibrary library;
  private final ImageDownloader downloader;

  public HostImageActivities(ImageLibrary library, ImageDownloader downloader) {
    this.library = library;
    this.downloader = downloader;
  }

  @Override
  public void download(ImageSource source) {
    Path target = target(source);
    ActivitySteps.run(() -> {
      if (Files.isRegularFile(target)) {
        return;
      }
      try {
        downloader.download(source.url(), source.allowedHosts(), source.sizeBytes(), source.sha256(), target, n -> {});
      } catch (ImageRefusedException e) {
        throw refused(source, e.getMessage());
      }
      log.info("image {} downloaded from {} into {}", source.image(), source.url(), target);
    });
  }

  /**
   * Copies rather than hard-links: a link shares the inode, so an operator who later edits or
   * overwrites the registered file in place would change the base under every VM overlay.
   */
  @Override
  public void importFile(ImageSource source) {
    Path target = target(source);
    ActivitySteps.run(() -> {
      if (Files.isRegularFile(target)) {
        return;
      }
      Path file = Path.of(source.path());
      if (!Files.exists(file)) {
        throw refused(source, source.path() + " does not exist on this node");
      }
      if (!Files.isRegularFile(file)) {
        throw refused(source, source.path() + " is not a regular file");
      }
      try (InputStream in = Files.newInputStream(file)) {
        ImageLanding.land(in, Files.size(file), source.sha256(), target, n -> {});
      } catch (NoSuchFileException e) {
        throw refused(source, source.path() + " does not exist on this node");
      } catch (ImageRefusedException e) {
        throw refused(source, e.getMessage());
      }
      log.info("image {} imported from {} into {}", source.image(), file, target);
    });
  }

  private Path target(ImageSource source) {
    // The name becomes a path: never let one escape the library.
    if (source.image() == null || !Names.IMAGE.matcher(source.image()).matches()) {
      throw ApplicationFailure.newNonRetryableFailure("'" + source.image() + "' is not an image name",
          FailureTypes.INVALID_SPEC);
    }
    return library.root().resolve(source.image()).resolve(ImageFiles.diskFile(source.format()));
  }

  private static ApplicationFailure refused(ImageSource source, String why) {
    return ApplicationFailure.newNonRetryableFailure("image '" + source.image() + "': " + why,
        FailureTypes.IMAGE_VERIFY_FAILED);
  }
}
