package io.novacron.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferPathsTest {
  @TempDir
  Path tmp;

  @Test
  void relative_and_absolute_paths_inside_are_accepted() throws Exception {
    TransferPaths paths = new TransferPaths(tmp.resolve("data"));
    Path target = paths.target("disks/vm-1.qcow2");
    assertThat(target).isEqualTo(paths.root().resolve("disks/vm-1.qcow2"));
    assertThat(target.getParent()).isDirectory();
    assertThat(paths.target(tmp.resolve("data/disks/vm-2.qcow2").toString()))
        .isEqualTo(paths.root().resolve("disks/vm-2.qcow2"));
  }

  @Test
  void escapes_are_refused_before_anything_is_created() throws Exception {
    TransferPaths paths = new TransferPaths(tmp.resolve("data"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(paths.root().resolve("out"), outside);
    Files.createSymbolicLink(paths.root().resolve("file-link"), outside.resolve("f"));

    for (String bad : new String[] {"../x", "disks/../../x", "out/new/dir/x", "file-link", "/etc/passwd", "",
        ".transfers/secret", "a\0b"}) {
      assertThatThrownBy(() -> paths.target(bad)).as(bad)
          .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.error()).isEqualTo(TransferError.PATH_REJECTED));
    }
    assertThat(outside.resolve("new")).doesNotExist();
  }

  @Test
  void a_source_must_be_a_regular_file_inside() throws Exception {
    TransferPaths paths = new TransferPaths(tmp.resolve("data"));
    Files.writeString(tmp.resolve("outside.txt"), "x");
    Files.createSymbolicLink(paths.root().resolve("link"), tmp.resolve("outside.txt"));
    assertThatThrownBy(() -> paths.source("link"))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.error()).isEqualTo(TransferError.PATH_REJECTED));
    assertThatThrownBy(() -> paths.source("missing"))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.error()).isEqualTo(TransferError.SOURCE_NOT_FOUND));
    Files.writeString(paths.root().resolve("ok"), "y");
    assertThat(paths.source("ok")).isEqualTo(paths.root().resolve("ok"));
  }
}
