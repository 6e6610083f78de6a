package io.novacron.host.storage;

import io.novacron.workflows.Names;
import io.novacron.workflows.image.ImageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The node's base images, one directory each under the agent's image directory. */
public final class ImageLibrary {
  private final Path root;

  public ImageLibrary(Path root) {
    this.root = root;
  }

  /** The library's directory ({@code <data>/images}). */
  public Path root() {
    return root;
  }

  /** Names of the usable images (a disk or a kernel), sorted. */
  public List<String> names() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory)
          .map(dir -> dir.getFileName().toString())
          .filter(name -> find(name).isPresent())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The image of that name, if the library holds a usable one. */
  public Optional<BaseImage> find(String name) {
    // The name becomes a path: never let one escape the library.
    if (name == null || !Names.IMAGE.matcher(name).matches()) {
      return Optional.empty();
    }
    Path dir = root.resolve(name);
    Path disk = existing(dir.resolve(ImageFiles.diskFile(ImageFiles.QCOW2)));
    if (disk == null) {
      disk = existing(dir.resolve(ImageFiles.diskFile(ImageFiles.RAW)));
    }
    Path kernel = existing(dir.resolve("vmlinuz"));
    Path initrd = existing(dir.resolve("initrd.img"));
    if (disk == null && kernel == null) {
      return Optional.empty();
    }
    return Optional.of(new BaseImage(name, disk, kernel, initrd,
        firstLine(dir.resolve("cmdline")), firstLine(dir.resolve("ready"))));
  }

  private static Path existing(Path path) {
    return Files.isRegularFile(path) ? path.toAbsolutePath() : null;
  }

  private static String firstLine(Path path) {
    if (!Files.isRegularFile(path)) {
      return null;
    }
    try {
      return Files.readAllLines(path).stream().map(String::strip).filter(s -> !s.isEmpty())
          .findFirst().orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
